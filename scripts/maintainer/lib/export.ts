/**
 * The learner's copy of the kata: every tracked file except the solutions and the maintainers' tooling.
 * Every README.md (and README.ko.md) loses its maintainer-only blocks, package.json keeps only scripts whose files are there, and the
 * classroom workflow template becomes .github/workflows/grade.yml. The tests, kit, manifest and vitest
 * config are copied unchanged, so tests.lock.json stays valid in the copy.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Paths (a file, or a folder ending in `/`) that stay with the maintainers. */
export const MAINTAINER_ONLY = [
  'solutions/',
  '.ci/',
  '.github/',
  'templates/',
  'CONTRIBUTING.md',
  'scripts/test/',
  'scripts/maintainer/',
  'scripts/typecheck.ts',
  'scripts/lib/typecheck.ts',
  'scripts/lib/command.ts',
];

/** Files written into the copy from another tracked file. */
export const RENAMED: Record<string, string> = { 'templates/classroom.yml': '.github/workflows/grade.yml' };

export function isExported(file: string): boolean {
  return !MAINTAINER_ONLY.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));
}

const MAINTAINER_BLOCK = /<!-- maintainer:start -->[\s\S]*?<!-- maintainer:end -->\n?/g;

/** The README without its `<!-- maintainer:start -->` … `<!-- maintainer:end -->` blocks. */
export function learnerReadme(text: string): string {
  return text.replace(MAINTAINER_BLOCK, '');
}

interface PackageJson {
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * package.json with only the scripts whose files exist in the copy and that do not need the solutions;
 * typecheck checks the learner's code alone.
 */
export function learnerPackage(pkg: PackageJson, exists: (file: string) => boolean): PackageJson {
  const scripts: Record<string, string> = {};
  for (const [name, command] of Object.entries(pkg.scripts ?? {})) {
    if (name === 'typecheck') scripts[name] = 'tsc -p .';
    else if (command.includes('--solutions')) continue;
    else if ((command.match(/scripts\/[\w./-]+\.ts/g) ?? []).every(exists)) scripts[name] = command;
  }
  return { ...pkg, scripts };
}

/** Writes the learner's copy of `files` (paths relative to root, as git lists them) into `out`. */
export function exportKata(root: string, files: string[], out: string): string[] {
  const written: string[] = [];
  const exported = new Set(files.filter(isExported));
  for (const [from, to] of Object.entries(RENAMED)) if (files.includes(from)) exported.add(to);
  const sourceOf = (file: string) => Object.entries(RENAMED).find(([, to]) => to === file)?.[0] ?? file;
  for (const file of [...exported].sort()) {
    const source = path.join(root, sourceOf(file));
    if (!existsSync(source)) continue; // deleted in the working tree
    const target = path.join(out, file);
    mkdirSync(path.dirname(target), { recursive: true });
    if (/^README(\.[a-z]{2})?\.md$/.test(path.posix.basename(file)))
      writeFileSync(target, learnerReadme(readFileSync(source, 'utf8')));
    else if (file === 'package.json') {
      const pkg = JSON.parse(readFileSync(source, 'utf8')) as PackageJson;
      writeFileSync(
        target,
        `${JSON.stringify(
          learnerPackage(pkg, (f) => exported.has(f)),
          null,
          2,
        )}\n`,
      );
    } else copyFileSync(source, target);
    written.push(file);
  }
  return written;
}
