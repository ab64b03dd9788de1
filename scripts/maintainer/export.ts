/**
 * `npm run export -- <dir>` (maintainers, instructors): writes the learner's copy of the kata into <dir> —
 * tracked files only (`git ls-files`), without solutions/ and the maintainers' tooling. Make it a repository
 * of its own (a template repository for a class) and keep the solutions on the maintainers' side.
 * It refuses a working tree with uncommitted changes to tracked files (`--allow-dirty` to export them anyway).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { checkLock, describeLock } from '../lib/lock.js';
import { root } from '../lib/paths.js';
import { exportKata } from './lib/export.js';

const [dir] = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (!dir) {
  console.error('usage: npm run export -- <dir>');
  process.exit(2);
}
const out = path.resolve(dir);
if (existsSync(out) && readdirSync(out).length > 0) {
  console.error(`export: ${out} is not empty`);
  process.exit(2);
}
// The copy is written from the working tree: uncommitted edits to tracked files would go out with it (a
// solution dropped into chapters/*/src for a check would become the learner's skeleton, with a valid lock).
const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
  cwd: root,
  encoding: 'utf8',
}).trim();
if (dirty && !process.argv.includes('--allow-dirty')) {
  console.error('export: tracked files have uncommitted changes, and the copy would carry them:');
  console.error(dirty);
  console.error('Commit or stash them first (or pass --allow-dirty).');
  process.exit(2);
}
const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter(Boolean);
const written = exportKata(root, files, out);
const lock = checkLock(out);
console.log(`export: ${written.length} files written to ${out}`);
console.log(`tests.lock.json in the copy: ${lock.valid ? 'valid' : 'INVALID'}`);
for (const line of describeLock(lock)) console.log(`  - ${line}`);
console.log(`Next: cd ${dir} && npm install && npm start`);
process.exitCode = lock.valid ? 0 : 1;
