/**
 * `npm run grade [-- 01 03] [--out grade] [--time-limit 300] [--points 100]` (instructors): grades the
 * learner's code in chapters/ and writes grade/results.json, grade/junit.xml, grade/summary.md and
 * grade/result.json (Classroom 50's result file, each chapter worth --points).
 * Exit code 0 when grading completed (failing tests included), 1 when tests or kit were edited (the reports
 * say which files), 2 when grading itself broke.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chaptersFrom } from './lib/chapter-args.js';
import { DEFAULT_POINTS_PER_CHAPTER } from './lib/grade/classroom50.js';
import { exitCodeOf, grade, writeReports } from './lib/grade/grade.js';
import { t } from './lib/i18n.js';
import { describeLock } from './lib/lock.js';
import { root } from './lib/paths.js';

const usage =
  'usage: npm run grade -- [chapters…] [--out <dir>] [--time-limit <seconds per chapter>] [--points <per chapter>]';
const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        'time-limit': { type: 'string', default: '300' },
        points: { type: 'string', default: String(DEFAULT_POINTS_PER_CHAPTER) },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
})();
const out = path.resolve(values.out ?? path.join(root, 'grade'));
const limitSeconds = Number(values['time-limit']);
const points = Number(values.points);
if (!Number.isFinite(limitSeconds) || limitSeconds <= 0 || !Number.isInteger(points) || points <= 0) {
  console.error(usage);
  process.exit(2);
}
const chapters = chaptersFrom(positionals);

console.log(t('grade.start', { count: chapters.length, seconds: limitSeconds }));
const report = await grade({
  root,
  chapters,
  timeLimitMs: limitSeconds * 1000,
  log: (line) => console.log(line),
});
const files = writeReports(report, out, { pointsPerChapter: points });
const { overall, integrity } = report;
console.log(t('grade.integrity', { verdict: integrity.valid ? 'valid' : 'INVALID' }));
for (const line of describeLock(integrity)) console.log(`  - ${line}`);
for (const error of report.errors) console.log(t('grade.error', { error }));
console.log(t('grade.total', { ...overall }));
console.log(t('grade.wrote', { files: files.map((f) => path.relative(process.cwd(), f) || f).join(', ') }));
process.exitCode = exitCodeOf(report);
