// Runs before every npm script: on a Node.js older than the kata needs, one clear sentence instead of a stack
// trace from deep inside the tools. Plain JavaScript of the oldest kind, so that any Node can read it.
var parts = process.versions.node.split('.').map(Number);
var major = parts[0];
var minor = parts[1];
var ok = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major === 23 || major >= 24;
if (!ok) {
  console.error(
    'zero-to-millions needs Node.js 20.19 or newer (22.12+, or 24, the current LTS); this is v' +
      process.versions.node +
      ': install one from https://nodejs.org, or run `nvm install`, which reads .nvmrc.',
  );
  process.exit(1);
}
