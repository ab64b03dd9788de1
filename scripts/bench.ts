/**
 * `npm run bench -- 02 [--solutions] [--seconds N]` (or 09, 10): a chapter's benchmark, on your code or the reference.
 * Benchmarks measure; they are not tests and are not part of verify.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chaptersFrom } from './lib/chapter-args.js';
import { root } from './lib/paths.js';

const args = process.argv.slice(2);
const solutions = args.includes('--solutions');
if (solutions && !existsSync(path.join(root, 'solutions'))) {
  console.error(
    'bench: this copy of the kata has no solutions/ folder; run it on your code (without --solutions)',
  );
  process.exit(2);
}
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 5;
const words = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '--seconds');
const benches: Record<
  string,
  () => Promise<{ bench: (t: 'chapters' | 'solutions', s: number) => Promise<void> }>
> = {
  '02-load-balancer': () => import('./bench/02-load-balancer.js'),
  '09-sharding': () => import('./bench/09-sharding.js'),
  '10-millions': () => import('./bench/10-millions.js'),
};
for (const chapter of chaptersFrom(words.length > 0 ? words : ['02'])) {
  const load = benches[chapter.slug];
  if (!load) {
    console.log(`chapter ${chapter.id} has no benchmark`);
    continue;
  }
  console.log(
    `benchmark: chapter ${chapter.slug}, ${solutions ? 'reference solution' : 'your code'}, ${seconds} s per setup`,
  );
  await (await load()).bench(solutions ? 'solutions' : 'chapters', seconds);
}
