import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Classroom50Result, splitPoints } from '../lib/grade/classroom50.js';
import { exitCodeOf, grade, writeReports } from '../lib/grade/grade.js';
import { renderJunit, xml } from '../lib/grade/junit.js';
import { cell } from '../lib/grade/summary.js';
import { useLanguage } from '../lib/i18n.js';
import { writeLock } from '../lib/lock.js';
import type { RunResult } from '../lib/test-outcome.js';
import { copyFixture, fixtureChapters } from './fixture.js';

const [passing, failing, hanging] = fixtureChapters as [
  (typeof fixtureChapters)[0],
  (typeof fixtureChapters)[0],
  (typeof fixtureChapters)[0],
];

useLanguage('en'); // the reports below are checked in English, whatever the machine's locale

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
    writeReports(report, out, { env: {} });
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
    // Long enough for vitest to start and plan both files on a busy machine; the first never ends.
    const report = await grade({ root, chapters: [hanging], timeLimitMs: 15_000 });
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

describe("Classroom 50's result.json", () => {
  /** The environment Classroom 50's runner gives the autograder. */
  const runner = {
    CLASSROOM: 'systems-fall',
    ASSIGNMENT: 'zero-to-millions',
    SUBMISSION_TAG: 'submit/2026-10-01T10-00-00Z-abc1234',
    OWNER: 'ada',
    ASSIGNMENT_TYPE: 'individual',
    COMMIT_URL: 'https://github.com/class/zero-to-millions-ada/commit/abc1234',
    RELEASE_URL: 'https://github.com/class/zero-to-millions-ada/releases/tag/submit%2F2026',
    REVIEW_URL: 'https://github.com/class/zero-to-millions-ada/compare/base...abc1234',
  };
  const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

  it('has one entry per test and each chapter worth the same points, on the fixture kata', async () => {
    const root = copyFixture();
    writeLock(root);
    const report = await grade({ root, chapters: [passing, failing], timeLimitMs: 60_000 });
    const out = path.join(root, 'grade');
    writeReports(report, out, { pointsPerChapter: 5, env: runner });
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as Classroom50Result;

    // The contract: exactly these top-level fields, whole non-negative points, UTC seconds, a submit/ tag.
    expect(Object.keys(result).sort()).toEqual(
      [
        'assignment',
        'assignment_type',
        'classroom',
        'commit',
        'datetime',
        'graded_at',
        'max-score',
        'owner',
        'release',
        'review',
        'schema',
        'score',
        'submission',
        'tests',
      ].sort(),
    );
    expect(result).toMatchObject({
      schema: 'classroom50/result/v1',
      classroom: 'systems-fall',
      assignment: 'zero-to-millions',
      assignment_type: 'individual',
      owner: 'ada',
      submission: runner.SUBMISSION_TAG,
      commit: runner.COMMIT_URL,
      release: runner.RELEASE_URL,
      review: runner.REVIEW_URL,
    });
    expect(result.datetime).toMatch(stamp);
    expect(result.graded_at).toMatch(stamp);
    for (const test of result.tests) {
      expect(test['test-name']).toMatch(/^0[12] › \d-\w+\.test\.ts › ./);
      expect(typeof test.passed).toBe('boolean');
      expect(Number.isInteger(test.score) && test.score >= 0).toBe(true);
      expect(test.score).toBeLessThanOrEqual(test['max-score']);
    }

    // Two tests per fixture chapter: 5 points split 3 + 2; the passing chapter earns them all, the failing none.
    expect(result.tests.map((t) => [t.chapter, t.passed, t.score, t['max-score']])).toEqual([
      ['01', true, 3, 3],
      ['01', true, 2, 2],
      ['02', false, 0, 3],
      ['02', false, 0, 2],
    ]);
    expect([result.score, result['max-score']]).toEqual([5, 10]);
    expect(result.tests.find((t) => t['test-name'].endsWith('greets by name'))?.message).toContain(
      'TODO (README, task 1)',
    );
  }, 60_000);

  it('gives 0 points and says why when the tests were edited; a chapter that did not run keeps its weight', async () => {
    const root = copyFixture();
    writeLock(root);
    appendFileSync(path.join(root, 'chapters/01-passing/test/1-add.test.ts'), '\n// edited\n');
    const onlyThePassingChapter = async (): Promise<RunResult> => ({
      tests: [
        {
          project: '01-passing',
          file: 'chapters/01-passing/test/1-add.test.ts',
          name: 'adds',
          status: 'passed',
          durationMs: 1,
          order: 0,
        },
      ],
      fileFailures: [],
      exitCode: 0,
      durationMs: 1,
      output: '',
    });
    const report = await grade({
      root,
      chapters: [passing, failing],
      timeLimitMs: 1_000,
      run: onlyThePassingChapter,
    });
    const out = path.join(root, 'grade');
    writeReports(report, out, { pointsPerChapter: 10, env: {} });
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as Classroom50Result;
    expect(result.tests.map((t) => [t['test-name'], t.passed, t.score, t['max-score']])).toEqual([
      ['integrity: tests.lock.json matches the tests and the kit', false, 0, 0],
      ['01 › 1-add.test.ts › adds', true, 0, 10],
      ['02 Failing: the tests did not run', false, 0, 10],
    ]);
    expect(result.tests[0]?.message).toContain('changed: chapters/01-passing/test/1-add.test.ts');
    expect([result.score, result['max-score']]).toEqual([0, 20]);
    // Outside Classroom 50 the identity says what was graded.
    expect(result).toMatchObject({
      classroom: 'zero-to-millions',
      assignment: 'chapters-01-02',
      owner: 'local',
    });
    expect(result.submission).toMatch(/^submit\/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-local$/);
  });

  it("splits a chapter's points into whole numbers that add up", () => {
    expect(splitPoints(100, 23)).toHaveLength(23);
    expect(splitPoints(100, 23).reduce((a, b) => a + b, 0)).toBe(100);
    expect(splitPoints(10, 4)).toEqual([3, 3, 2, 2]);
    expect(splitPoints(2, 3)).toEqual([1, 1, 0]);
    expect(splitPoints(10, 0)).toEqual([]);
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
