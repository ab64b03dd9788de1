/**
 * `npm run hint -- 03`: the next hint tier (1 a nudge, 2 the approach, 3 nearly the solution) of the task
 * whose test fails first in chapter 03, as your last run (`npm start`, or this command) left it.
 * `npm run hint -- 03 2`: tier 2 of that task again. `--task 2`: a task of your choice.
 * The tiers you have seen are kept in .kata/progress.json, shared with `h` in `npm start`.
 */
import { parseArgs } from 'node:util';
import { chaptersFrom } from './lib/chapter-args.js';
import { readHints } from './lib/hints.js';
import { root } from './lib/paths.js';
import { revealNext, taskAtHand, tiersSeen } from './lib/progress/hint-state.js';
import { renderHint } from './lib/progress/render.js';
import { resultOf } from './lib/progress/results.js';
import { readProgress, writeProgress } from './lib/progress/store.js';

const usage = 'usage: npm run hint -- <chapter> [1|2|3] [--task <n>]';
const { positionals, values } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: { task: { type: 'string' } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
})();
const [word, tierWord] = positionals;
if (!word || (tierWord !== undefined && !['1', '2', '3'].includes(tierWord))) {
  console.error(usage);
  process.exit(2);
}
const [chapter] = chaptersFrom([word]);
if (!chapter) process.exit(2);
const hints = readHints(root, chapter.slug).tasks;
const progress = readProgress(root);
let result = progress.results[chapter.id];
if (!result && values.task === undefined) {
  console.log(`Running chapter ${chapter.id}'s tests to find the task at hand…\n`);
  const { runVitest } = await import('./lib/vitest-run.js');
  result = resultOf(chapter, await runVitest('chapters', [chapter.slug]));
  progress.results[chapter.id] = result;
}
const task =
  values.task !== undefined
    ? Number(values.task)
    : taskAtHand(
        result,
        hints.map((h) => h.task),
      );
if (task === undefined) {
  console.log(`Every test of chapter ${chapter.id} passes: no hint needed. Next: npm test -- ${chapters()}`);
  process.exit(0);
}
const data = hints.find((h) => h.task === task);
if (!data) {
  console.error(
    `Chapter ${chapter.id} has no hints for task ${task}; its tasks: ${hints.map((h) => h.task).join(', ')}`,
  );
  process.exit(2);
}
const tier = tierWord ? Number(tierWord) : Math.min(3, tiersSeen(progress.hintTiers, chapter.id, task) + 1);
let tiers = progress.hintTiers;
while (tiersSeen(tiers, chapter.id, task) < tier) tiers = revealNext(tiers, chapter.id, task);
writeProgress(root, { ...progress, hintTiers: tiers });
console.log(`Chapter ${chapter.id}: ${chapter.title}\n`);
console.log(
  renderHint({ task, title: data.title, tier, text: data.tiers[tier - 1] ?? '' }).replace(/ {3}\(.*\)$/m, ''),
);
if (tier < 3) console.log(`\nStill stuck? npm run hint -- ${chapter.id}   (tier ${tier + 1} of 3)`);

function chapters(): string {
  const next = Number(chapter?.id ?? 0) + 1;
  return String(next).padStart(2, '0');
}
