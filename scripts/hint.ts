/**
 * `npm run hint -- 03`: the next hint tier (1 a nudge, 2 the approach, 3 nearly the solution) of the task
 * whose test fails first in chapter 03, as your last run (`npm start`, or this command) left it; when the
 * chapter's code changed since that run, or there is none, it runs the chapter's tests first.
 * `npm run hint -- 03 2`: tier 2 of that task again. `--task 2`: a task of your choice.
 * The tiers you have seen are kept in .kata/progress.json, shared with `h` in `npm start`. In Korean with
 * KATA_LANG=ko or a Korean locale (the chapter's hints.ko.md, where it has one).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chaptersFrom } from './lib/chapter-args.js';
import { readHints } from './lib/hints.js';
import { currentLanguage, t, titleOf } from './lib/i18n.js';
import { root } from './lib/paths.js';
import { revealNext, taskAtHand, tiersSeen } from './lib/progress/hint-state.js';
import { hintHeading } from './lib/progress/render.js';
import { isStale, resultOf } from './lib/progress/results.js';
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
const translated = readHints(root, chapter.slug, currentLanguage()).tasks;
const hints = translated.length > 0 ? translated : readHints(root, chapter.slug).tasks;
const progress = readProgress(root);
let result = progress.results[chapter.id];
// Results from before the last edit of the chapter's code (or from `npm test`, which keeps none) would
// point at a task already done: run the chapter again.
if (isStale(result, path.join(root, 'chapters', chapter.slug, 'src')) && values.task === undefined) {
  console.log(`${t('hint.finding', { id: chapter.id })}\n`);
  const { runVitest } = await import('./lib/vitest-run.js');
  result = resultOf(chapter, await runVitest('chapters', [chapter.slug]));
  progress.results[chapter.id] = result;
  writeProgress(root, progress);
}
const tasks = hints.map((h) => h.task);
const task = values.task !== undefined ? Number(values.task) : taskAtHand(result, tasks);
if (task === undefined) {
  console.log(t('hint.allPass', { id: chapter.id }));
  process.exit(0);
}
const data = hints.find((h) => h.task === task);
if (!data) {
  console.error(t('hint.noTask', { id: chapter.id, task, tasks: tasks.join(', ') }));
  process.exit(2);
}
const tier = tierWord ? Number(tierWord) : Math.min(3, tiersSeen(progress.hintTiers, chapter.id, task) + 1);
let tiers = progress.hintTiers;
while (tiersSeen(tiers, chapter.id, task) < tier) tiers = revealNext(tiers, chapter.id, task);
writeProgress(root, { ...progress, hintTiers: tiers });
console.log(`${chapter.id} · ${titleOf(chapter)}\n`);
console.log(hintHeading({ task, title: data.title, tier }));
console.log(data.tiers[tier - 1] ?? '');
const again = values.task !== undefined ? `${chapter.id} --task ${task}` : chapter.id;
if (tier < 3) console.log(`\n${t('hint.stillStuck', { id: again, next: tier + 1 })}`);
