/**
 * `npm start`: where you are in the kata. Runs every chapter's tests against your code and shows a table;
 * the current chapter is the first one not complete, and its first failing test says what to do next.
 * In a terminal it stays open: it reruns the current chapter when you save a file in its src/, and takes
 * keys (h hint, n/p next/previous chapter, l list, r rerun, q quit). Without a terminal (CI, a pipe) it
 * prints the table and exits 0. Progress is kept in .kata/progress.json.
 */
import { chapters } from '../chapters/manifest.js';
import { root } from './lib/paths.js';
import { renderChapter, renderTable } from './lib/progress/render.js';
import { type ChapterResult, currentChapter, resultOf } from './lib/progress/results.js';
import { readProgress, writeProgress } from './lib/progress/store.js';
import { runInteractive } from './lib/progress/terminal.js';
import { openVitest } from './lib/vitest-api.js';

const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true;
const saved = readProgress(root);

if (interactive && Object.keys(saved.results).length > 0) {
  console.log('Last time:\n');
  console.log(renderTable(chapters, saved.results, currentChapter(chapters, saved.results)));
  console.log('');
}
console.log('Running every chapter against your code in chapters/ …\n');
const vitest = await openVitest({ root, target: 'chapters', projects: chapters.map((c) => c.slug) });
const run = await vitest.run();
const results: Record<string, ChapterResult> = {};
for (const chapter of chapters) results[chapter.id] = resultOf(chapter, run);
const current = currentChapter(chapters, results);
const hintTiers = saved.hintTiers;
writeProgress(root, { version: 1, current, hintTiers, results });

if (!interactive) {
  console.log(renderTable(chapters, results, current));
  const chapter = chapters.find((c) => c.id === current);
  const result = results[current];
  if (chapter && result && (result.passed < result.total || result.firstFailure)) {
    console.log(`\n${renderChapter(chapter, result, hintTiers[current] ?? 0)}`);
    console.log(`\nRun it:  npm test -- ${chapter.id}`);
    console.log(`Stuck?   npm run hint -- ${chapter.id}   (or npm start in a terminal, then h)`);
  } else console.log(`\nAll ${chapters.length} chapters written so far are complete. Well done.`);
  await vitest.close();
  // Code under test may leave servers or timers open: the table is printed, so leave now.
  process.exit(0);
}

await runInteractive({ root, chapters, vitest, state: { current, hintTiers, results, view: 'chapter' } });
process.exit(0);
