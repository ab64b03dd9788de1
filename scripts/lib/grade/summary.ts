/** The grade as a markdown summary: one row per chapter, the integrity verdict, the first failure of each. */
import { describeLock } from '../lock.js';
import type { GradeReport } from './report.js';

/** Makes text safe inside a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderSummary(report: GradeReport): string {
  const { overall, integrity } = report;
  const lines = [`## ${report.kata}: ${overall.passed}/${overall.total} tests pass (${overall.score} %)`, ''];
  if (integrity.valid) {
    lines.push(
      `Integrity: **valid** — the tests and the kit match tests.lock.json (sha256 \`${integrity.lockDigest ?? '?'}\`).`,
    );
  } else {
    lines.push(
      'Integrity: **INVALID** — the tests or the kit were edited, so this grade does not count:',
      '',
    );
    for (const line of describeLock(integrity)) lines.push(`- ${cell(line)}`);
  }
  lines.push('', '| chapter | passed | total | score | first failing test |', '|---|---:|---:|---:|---|');
  for (const chapter of report.chapters) {
    const first = report.tests.find((t) => t.chapter === chapter.id && t.status !== 'passed');
    const note = chapter.timedOut ? ' (time limit reached)' : '';
    lines.push(
      `| ${chapter.id} ${cell(chapter.title)} | ${chapter.passed} | ${chapter.total} | ${chapter.score} %${note} | ${first ? cell(first.name) : '—'} |`,
    );
  }
  lines.push('', `${overall.complete} of ${overall.chapters} chapters complete. Graded ${report.gradedAt}.`);
  for (const error of report.errors) lines.push('', `Grading error: ${cell(error)}`);
  return `${lines.join('\n')}\n`;
}
