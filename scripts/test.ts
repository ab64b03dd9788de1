/**
 * `npm test -- 01`: runs chapter tests against your code in chapters/.
 * `npm run test:solutions -- 01`: the very same tests against the reference in solutions/.
 * Words starting with `-` go to vitest as they are (e.g. `-t "NXDOMAIN"`, `--watch`).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chaptersFrom } from './lib/chapter-args.js';
import { root } from './lib/paths.js';

const args = process.argv.slice(2);
const solutions = args.includes('--solutions');
const watch = args.includes('--watch');
const vitestArgs = args
  .filter((a, i) => a.startsWith('-') || args[i - 1] === '-t')
  .filter((a) => a !== '--solutions' && a !== '--watch');
const words = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-t');
const projects = chaptersFrom(words).flatMap((c) => ['--project', c.slug]);

const result = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/vitest/vitest.mjs'), watch ? 'watch' : 'run', ...projects, ...vitestArgs],
  { cwd: root, stdio: 'inherit', env: { ...process.env, KATA_TARGET: solutions ? 'solutions' : 'chapters' } },
);
process.exitCode = result.status ?? 1;
