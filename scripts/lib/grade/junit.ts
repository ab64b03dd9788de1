/** JUnit XML of a grade report: one testsuite per chapter, plus one for the test lock when it is broken. */
import { describeLock } from '../lock.js';
import type { GradeReport } from './report.js';

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Escapes text for XML attributes and content, and drops characters XML 1.0 cannot hold (ANSI escapes). */
export function xml(text: string): string {
  let kept = '';
  for (const char of text.replace(ANSI, '')) {
    const c = char.codePointAt(0) ?? 0;
    const allowed =
      c === 9 ||
      c === 10 ||
      c === 13 ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    if (allowed) kept += char;
  }
  return kept
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function renderJunit(report: GradeReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const integrityFailures = report.integrity.valid ? 0 : 1;
  const failures = report.overall.total - report.overall.passed + integrityFailures;
  lines.push(
    `<testsuites name="${xml(report.kata)}" tests="${report.overall.total + integrityFailures}" failures="${failures}" time="${seconds(report.chapters.reduce((n, c) => n + c.durationMs, 0))}">`,
  );
  if (!report.integrity.valid) {
    const detail = describeLock(report.integrity).join('\n');
    lines.push('  <testsuite name="integrity" tests="1" failures="1" errors="0" skipped="0" time="0.000">');
    lines.push(
      '    <testcase classname="integrity" name="tests.lock.json matches the tests and the kit" time="0.000">',
    );
    lines.push(
      `      <failure message="${xml('tests or kit edited: the grade is not valid')}">${xml(detail)}</failure>`,
    );
    lines.push('    </testcase>', '  </testsuite>');
  }
  for (const chapter of report.chapters) {
    const tests = report.tests.filter((t) => t.chapter === chapter.id);
    const skipped = tests.filter((t) => t.status === 'skipped').length;
    const failed = tests.filter((t) => t.status === 'failed' || t.status === 'pending').length;
    lines.push(
      `  <testsuite name="${xml(chapter.slug)}" tests="${tests.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds(chapter.durationMs)}">`,
    );
    for (const test of tests) {
      const open = `    <testcase classname="${xml(`${chapter.slug}.${test.file.split('/').pop() ?? ''}`)}" name="${xml(test.name)}" time="${seconds(test.durationMs)}"`;
      if (test.status === 'passed') lines.push(`${open}/>`);
      else if (test.status === 'skipped') lines.push(`${open}>`, '      <skipped/>', '    </testcase>');
      else {
        const message = test.message ?? 'failed';
        lines.push(
          `${open}>`,
          `      <failure message="${xml(message.split('\n')[0] ?? '')}">${xml(message)}</failure>`,
          '    </testcase>',
        );
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
