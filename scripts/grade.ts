/**
 * `npm run grade [-- 01 03] [--out grade] [--time-limit 300]` (instructors): grades the learner's code in
 * chapters/ and writes grade/results.json, grade/junit.xml and grade/summary.md.
 * Exit code 0 when grading completed (failing tests included), 1 when tests or kit were edited (the reports
 * say which files), 2 when grading itself broke.
 */
import path from 'node:path';
import { chaptersFrom } from './lib/chapter-args.js';
import { exitCodeOf, grade, writeReports } from './lib/grade/grade.js';
import { describeLock } from './lib/lock.js';
import { root } from './lib/paths.js';

const args = process.argv.slice(2);
const option = (flag: string) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
const out = path.resolve(option('--out') ?? path.join(root, 'grade'));
const limitSeconds = Number(option('--time-limit') ?? 300);
if (!Number.isFinite(limitSeconds) || limitSeconds <= 0) {
  console.error('usage: npm run grade -- [chapters…] [--out <dir>] [--time-limit <seconds per chapter>]');
  process.exit(2);
}
const words = args.filter(
  (a, i) => !a.startsWith('-') && !['--out', '--time-limit'].includes(args[i - 1] ?? ''),
);
const chapters = chaptersFrom(words);

console.log(`grade: ${chapters.length} chapters against chapters/ (time limit ${limitSeconds} s each)`);
const report = await grade({
  root,
  chapters,
  timeLimitMs: limitSeconds * 1000,
  log: (line) => console.log(line),
});
const files = writeReports(report, out);
const { overall, integrity } = report;
console.log(`integrity: ${integrity.valid ? 'valid' : 'INVALID'}`);
for (const line of describeLock(integrity)) console.log(`  - ${line}`);
for (const error of report.errors) console.log(`grading error: ${error}`);
console.log(
  `grade: ${overall.passed}/${overall.total} passed (${overall.score} %), ${overall.complete}/${overall.chapters} chapters complete`,
);
console.log(`wrote ${files.map((f) => path.relative(process.cwd(), f) || f).join(', ')}`);
process.exitCode = exitCodeOf(report);
