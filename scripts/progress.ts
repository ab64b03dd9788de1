/**
 * `npm start`: where you are in the kata.
 * In a terminal it shows the table of your last results at once, then stays open on the current chapter
 * (the first one not complete): it runs that chapter first and the others after it, updating as each
 * finishes, reruns the current chapter when you save a file in its src/, and takes keys (h hint, c close
 * hint, n/p next/previous chapter, l list, r rerun, q quit). Without a terminal (CI, a pipe) it runs every
 * chapter, prints the table and the next failing test, and exits 0. Progress is kept in .kata/progress.json.
 */
import { chapters } from '../chapters/manifest.js';
import { readHints } from './lib/hints.js';
import { currentLanguage, t } from './lib/i18n.js';
import { root } from './lib/paths.js';
import { renderChapter, renderTable } from './lib/progress/render.js';
import { type ChapterResult, currentChapter, resultOf } from './lib/progress/results.js';
import { readProgress, writeProgress } from './lib/progress/store.js';

const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true;
const saved = readProgress(root);
// vitest loads in a second or more: the first screen comes before it.
const loadVitest = () => import('./lib/vitest-api.js');

if (interactive) {
  const current = saved.current ?? currentChapter(chapters, saved.results);
  const seen = Object.keys(saved.results).length > 0;
  console.log(`${t(seen ? 'start.lastTime' : 'start.firstRun')}\n`);
  console.log(renderTable(chapters, saved.results, current));
  const { runInteractive } = await import('./lib/progress/terminal.js');
  const hints = Object.fromEntries(chapters.map((c) => [c.id, hintsOf(c.slug)]));
  await runInteractive({
    root,
    chapters,
    hints,
    openVitest: async () =>
      (await loadVitest()).openVitest({ root, target: 'chapters', projects: chapters.map((c) => c.slug) }),
    state: { current, hintTiers: saved.hintTiers, hintOpen: false, results: saved.results, view: 'chapter' },
  });
  process.exit(0);
}

console.log(`${t('start.runningAll')}\n`);
const vitest = await (await loadVitest()).openVitest({
  root,
  target: 'chapters',
  projects: chapters.map((c) => c.slug),
});
const run = await vitest.run();
const results: Record<string, ChapterResult> = {};
for (const chapter of chapters) results[chapter.id] = resultOf(chapter, run);
const current = currentChapter(chapters, results);
writeProgress(root, { version: 2, current, hintTiers: saved.hintTiers, results });
console.log(renderTable(chapters, results, current));
const chapter = chapters.find((c) => c.id === current);
const result = results[current];
if (chapter && result && (result.passed < result.total || result.firstFailure)) {
  console.log(`\n${renderChapter(chapter, result)}`);
  console.log(`\n${t('start.runIt', { id: chapter.id })}`);
  console.log(t('start.stuck', { id: chapter.id }));
} else console.log(`\n${t('start.allDone', { count: chapters.length })}`);
await vitest.close();
// Code under test may leave servers or timers open: the table is printed, so leave now.
process.exit(0);

/** A chapter's hints in the learner's language, the English ones where it has no translation yet. */
function hintsOf(slug: string) {
  const translated = readHints(root, slug, currentLanguage());
  return translated.tasks.length > 0 ? translated.tasks : readHints(root, slug).tasks;
}
