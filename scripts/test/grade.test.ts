import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, grade, writeReports } from '../lib/grade/grade.js';
import { renderJunit, xml } from '../lib/grade/junit.js';
import { cell } from '../lib/grade/summary.js';
import { writeLock } from '../lib/lock.js';
import type { RunResult } from '../lib/test-outcome.js';
import { copyFixture, fixtureChapters } from './fixture.js';

const [passing, failing, hanging] = fixtureChapters as [
  (typeof fixtureChapters)[0],
  (typeof fixtureChapters)[0],
  (typeof fixtureChapters)[0],
];

describe('npm run grade on the fixture kata', () => {
  it('grades a passing and a failing chapter, with valid integrity, and writes the three reports', async () => {
    const root = copyFixture();
    writeLock(root);
    const report = await grade({ root, chapters: [passing, failing], timeLimitMs: 60_000 });
    expect(report.integrity.valid).toBe(true);
    expect(report.chapters.map((c) => [c.id, c.passed, c.total, c.score])).toEqual([
      ['01', 2, 2, 100],
      ['02', 0, 2, 0],
    ]);
    expect(report.overall).toMatchObject({ passed: 2, total: 4, score: 50, complete: 1 });
    const greet = report.tests.find((t) => t.name === 'greets by name');
    expect(greet?.status).toBe('failed');
    expect(greet?.message).toContain('TODO (README, task 1): greet Ada');
    expect(exitCodeOf(report)).toBe(0);

    const out = path.join(root, 'grade');
    writeReports(report, out);
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(results.overall.passed).toBe(2);
    const junit = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="02-failing" tests="2" failures="2"');
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toContain('| 01 Passing | 2 | 2 | 100 % |');
  }, 60_000);

  it('stops a chapter that never finishes at its time limit and counts it as failed', async () => {
    const root = copyFixture();
    writeLock(root);
    const report = await grade({ root, chapters: [hanging], timeLimitMs: 4_000 });
    expect(report.chapters[0]).toMatchObject({ id: '03', passed: 0, timedOut: true });
    expect(report.errors).toEqual([]);
    expect(exitCodeOf(report)).toBe(0);
  }, 60_000);

  it('counts a test file that never started before the time limit as a failed test', async () => {
    const root = copyFixture();
    // One file at a time: the second file waits behind the one that never finishes.
    const config = path.join(root, 'vitest.config.ts');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'test: {\n    projects',
        'test: {\n    fileParallelism: false,\n    projects',
      ),
    );
    const tests = path.join(root, 'chapters/03-hanging/test');
    copyFileSync(path.join(tests, '1-spin.test.ts'), path.join(tests, '2-spin-again.test.ts'));
    writeLock(root);
    const report = await grade({ root, chapters: [hanging], timeLimitMs: 4_000 });
    expect(report.chapters[0]).toMatchObject({ id: '03', passed: 0, total: 2, timedOut: true });
    expect(report.tests.map((t) => [t.file.split('/').pop(), t.status])).toEqual([
      ['1-spin.test.ts', 'failed'],
      ['2-spin-again.test.ts', 'failed'],
    ]);
  }, 60_000);

  it('marks the grade invalid, naming the file, when a test was edited', async () => {
    const root = copyFixture();
    writeLock(root);
    appendFileSync(path.join(root, 'chapters/02-failing/test/1-greet.test.ts'), '\n// edited\n');
    const noRun = async (): Promise<RunResult> => ({
      tests: [],
      fileFailures: [],
      exitCode: 0,
      durationMs: 0,
      output: '',
    });
    const report = await grade({ root, chapters: [failing], timeLimitMs: 1_000, run: noRun });
    expect(report.integrity).toMatchObject({
      valid: false,
      changed: ['chapters/02-failing/test/1-greet.test.ts'],
    });
    expect(exitCodeOf(report)).toBe(2); // and the run that produced nothing is a grading error
    const junit = renderJunit(report);
    expect(junit).toContain('<testsuite name="integrity" tests="1" failures="1"');
    expect(junit).toContain('changed: chapters/02-failing/test/1-greet.test.ts');
  });
});

describe('report escaping', () => {
  it('escapes XML and drops what XML cannot hold', () => {
    expect(xml(`a <b> & "c" 'd'`)).toBe('a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;');
    expect(xml('\u001b[31mred\u001b[39m\u0000\u0007 ok')).toBe('red ok');
  });

  it('keeps markdown table cells on one line and their pipes literal', () => {
    expect(cell('a | b\nc <d>')).toBe('a \\| b c &lt;d&gt;');
  });
});
