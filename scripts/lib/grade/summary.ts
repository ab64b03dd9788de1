/** The grade as a markdown summary: one row per chapter, the integrity verdict, the first failure of each. */
import { t, titleOf } from '../i18n.js';
import { describeLock } from '../lock.js';
import type { GradeReport } from './report.js';

/** Makes text safe inside a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderSummary(report: GradeReport): string {
  const { overall, integrity } = report;
  const lines = [`## ${t('grade.heading', { kata: report.kata, ...overall })}`, ''];
  if (integrity.valid) {
    lines.push(t('grade.valid', { digest: integrity.lockDigest ?? '?' }));
  } else {
    lines.push(t('grade.invalid'), '');
    for (const line of describeLock(integrity)) lines.push(`- ${cell(line)}`);
  }
  lines.push('', t('grade.columns'), '|---|---:|---:|---:|---|');
  for (const chapter of report.chapters) {
    const first = report.tests.find((t) => t.chapter === chapter.id && t.status !== 'passed');
    const note = chapter.timedOut ? ` ${t('grade.timeLimit')}` : '';
    lines.push(
      `| ${chapter.id} ${cell(titleOf(chapter))} | ${chapter.passed} | ${chapter.total} | ${chapter.score} %${note} | ${first ? cell(first.name) : '—'} |`,
    );
  }
  lines.push('', t('grade.complete', { ...overall, at: report.gradedAt }));
  for (const error of report.errors) lines.push('', t('grade.error', { error: cell(error) }));
  return `${lines.join('\n')}\n`;
}
