/**
 * `npm test -- 01`: runs chapter tests against your code in chapters/.
 * `npm run test:solutions -- 01`: the very same tests against the reference in solutions/.
 * Words that name chapters choose them; everything else goes to vitest as it is
 * (`npm test -- 01 -t NXDOMAIN`, `npm test -- 01 --reporter verbose`, `--watch`).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chaptersFrom, splitArgs } from './lib/chapter-args.js';
import { root } from './lib/paths.js';

const { values, chapters, rest } = splitArgs(process.argv.slice(2), {
  solutions: { type: 'boolean' },
  watch: { type: 'boolean' },
});
const projects = chaptersFrom(chapters).flatMap((c) => ['--project', c.slug]);
const result = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/vitest/vitest.mjs'), values.watch ? 'watch' : 'run', ...projects, ...rest],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KATA_TARGET: values.solutions ? 'solutions' : 'chapters' },
  },
);
process.exitCode = result.status ?? 1;
