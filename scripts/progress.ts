/**
 * `npm start`: where you are in the kata. Runs every chapter's tests against your code and prints a table;
 * the current chapter is the first one not complete, and its first failing test says what to do next.
 */
import { chapters } from '../chapters/manifest.js';
import { runVitest } from './lib/vitest-run.js';

console.log('Running every chapter against your code in chapters/ …\n');
const run = await runVitest(
  'chapters',
  chapters.map((c) => c.slug),
);
const rows = chapters.map((chapter) => {
  const tests = run.tests.filter((t) => t.project === chapter.slug);
  const passed = tests.filter((t) => t.status === 'passed').length;
  return { chapter, tests, passed, complete: tests.length > 0 && passed === tests.length };
});
const current = rows.find((r) => !r.complete);

for (const { chapter, tests, passed } of rows) {
  const width = 20;
  const filled = tests.length === 0 ? 0 : Math.round((passed / tests.length) * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const marker = chapter === current?.chapter ? '▶' : ' ';
  console.log(`${marker} ${chapter.id}  ${chapter.title.padEnd(44)} ${bar} ${passed}/${tests.length}`);
}

if (!current) {
  console.log(`\nAll ${chapters.length} chapters written so far are complete. Well done.`);
} else {
  const { chapter, tests } = current;
  const failing = tests.find((t) => t.status !== 'passed');
  console.log(`\nNow: chapter ${chapter.id}, ${chapter.title} (chapters/${chapter.slug}/README.md)`);
  if (failing) {
    console.log(`First failing test: ${failing.name}`);
    if (failing.message) console.log(`  ${failing.message}`);
  }
  console.log(`\nRun it:  npm test -- ${chapter.id}`);
  console.log(`Stuck?   npm run hint -- ${chapter.id}`);
}
