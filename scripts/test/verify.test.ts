import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult, Status, TestOutcome } from '../lib/test-outcome.js';
import { contractCheck, designsCheck, ok, stagesCheck } from '../maintainer/lib/checks.js';
import { diffDesign, parseDesign, writeDesign } from '../maintainer/lib/designs.js';
import { stubOut, stubProblems, stubsOf, tasksNamed, writeStage } from '../maintainer/lib/stages.js';
import type { DesignRun, Stage } from '../maintainer/lib/variants.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'kata-verify-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function test(project: string, file: string, name: string, status: Status, message?: string): TestOutcome {
  return { project, file, name, status, durationMs: 5, order: 0, ...(message ? { message } : {}) };
}
function run(tests: TestOutcome[], fileFailures: RunResult['fileFailures'] = []): RunResult {
  return { tests, fileFailures, exitCode: 1, durationMs: 1, output: '' };
}
function write(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('verify: the contract check', () => {
  it('holds when every test passes on the solution and fails on the skeleton, and names each breach', () => {
    const file = 'chapters/01-x/test/1-a.test.ts';
    const good = contractCheck(
      '01-x',
      run([test('01-x', file, 'a', 'passed')]),
      run([test('01-x', file, 'a', 'failed', 'TODO')]),
    );
    expect(ok(good)).toBe(true);
    const bad = contractCheck(
      '01-x',
      run([
        test('01-x', file, 'a', 'passed'),
        test('01-x', file, 'b', 'failed', 'boom'),
        test('01-x', file, 'c', 'skipped'),
      ]),
      run([test('01-x', file, 'a', 'passed'), test('01-x', file, 'b', 'failed')]),
    );
    expect(bad.failed).toBe(3);
    expect(bad.problems.join('\n')).toContain('passes on the untouched skeleton: 1-a.test.ts › a');
    expect(bad.problems.join('\n')).toContain('fails on the solution: 1-a.test.ts › b — boom');
    expect(bad.problems.join('\n')).toContain('a skipped check is a defect');
    expect(bad.problems.join('\n')).toContain('did not run on the skeleton: 1-a.test.ts › c');
  });
});

describe('verify: one task at a time', () => {
  it('reads the task of each stub, including ranges, and refuses a stub for several tasks', () => {
    expect(tasksNamed("new Error('TODO (README, task 2): x')")).toEqual([2]);
    expect(tasksNamed('new Error(`TODO (README, tasks 1–3): y`)')).toEqual([1, 2, 3]);
    expect(tasksNamed("new Error('TODO (README, tasks 1 and 2): z')")).toEqual([1, 2]);
    const skeleton = write(path.join(scratch, 'skeleton'), {
      'cluster.ts': [
        'export function createCluster() {',
        '  return {',
        "    write() { throw new Error('TODO (README, task 1): write'); },",
        "    failover: () => { throw new Error('TODO (README, task 3): failover'); },",
        '  };',
        '}',
        "export function whole() { throw new Error('TODO (README, tasks 1–2): all of it'); }",
      ].join('\n'),
    });
    const solution = write(path.join(scratch, 'solution'), {
      'cluster.ts': [
        'export function createCluster() {',
        '  const failover = async () => "promoted";',
        '  return { write: () => "written", failover };',
        '}',
        'export function whole() { return 1; }',
      ].join('\n'),
    });
    const stubs = stubsOf(skeleton);
    expect(stubs.map((s) => [s.name, s.tasks])).toEqual([
      ['write', [1]],
      ['failover', [3]],
      ['whole', [1, 2]],
    ]);
    expect(stubProblems(stubs, solution)).toEqual([
      'src/cluster.ts:7 whole() is one stub for tasks 1, 2: split it per operation, one task each',
    ]);
    const stage = path.join(scratch, 'stage-1');
    writeStage(solution, stubs, 1, stage);
    const staged = readFileSync(path.join(stage, 'cluster.ts'), 'utf8');
    expect(staged).toContain('write: () => "written"');
    expect(staged).toContain('TODO (README, task 3): failover (not yet written at this stage)');
    expect(staged).not.toContain('"promoted"');
  });

  it('drops a stub inside a function that is stubbed already', () => {
    const text = 'function outer() { const inner = () => 1; return inner(); }';
    const stubs = [
      { file: 'a.ts', name: 'outer', tasks: [2], line: 1 },
      { file: 'a.ts', name: 'inner', tasks: [3], line: 1 },
    ];
    expect(stubOut(text, 'a.ts', stubs)).toBe(
      'function outer() { throw new Error("TODO (README, task 2): outer (not yet written at this stage)"); }',
    );
  });

  it('passes when every stage passes its tests, and says which task broke', () => {
    const stage = (task: number): Stage => ({
      chapter: '01-x',
      task,
      files: [],
      variant: {
        name: `stage-${task}`,
        kind: 'stages',
        chapter: '01-x',
        dir: `.kata/variants/01-x/stage-${task}`,
        tests: [],
      },
    });
    const file = '.kata/variants/01-x/stage-2/test/2-b.test.ts';
    const check = stagesCheck(
      [stage(1), stage(2)],
      [],
      run([
        test('01-x~stages', '.kata/variants/01-x/stage-1/test/1-a.test.ts', 'a', 'passed'),
        test('01-x~variants', file, 'needs task 3', 'failed', 'TODO (README, task 3): later'),
      ]),
    );
    expect(check).toMatchObject({ passed: 1, failed: 1 });
    expect(check.problems).toEqual([
      'with tasks 1–2 done, 2-b.test.ts › needs task 3 fails: TODO (README, task 3): later',
    ]);
  });
});

describe('verify: wrong designs', () => {
  const header =
    'Misconception: emails are stored as typed\nFails: 3-api.test.ts › answers 409\nMessage: letter case\n';

  it('reads the header, and says what is missing from it', () => {
    const design = parseDesign('01-x', 'email', `${header}\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-x\n+y\n`);
    expect(design).toMatchObject({
      file: '3-api.test.ts',
      test: 'answers 409',
      message: 'letter case',
      problems: [],
    });
    expect(parseDesign('01-x', 'bare', 'Fails: 3-api.test.ts\n').problems).toEqual([
      'the header has no "Misconception:" line',
      'the header has no "Message:" line',
      '"Fails:" must read `<N-name>.test.ts › <part of the test name>`',
      'the patch changes nothing',
    ]);
  });

  it('writes a patch from an edited copy and applies it to the solution again', () => {
    const solution = write(path.join(scratch, 'sol'), { 'a.ts': 'one\ntwo\nthree\n' });
    const edited = write(path.join(scratch, 'edited'), { 'a.ts': 'one\nTWO\nthree\n' });
    const design = parseDesign('01-x', 'upper', diffDesign(solution, edited, header));
    expect(design.problems).toEqual([]);
    const out = path.join(scratch, 'applied');
    expect(writeDesign(solution, design, out)).toEqual([]);
    expect(readFileSync(path.join(out, 'a.ts'), 'utf8')).toBe('one\nTWO\nthree\n');
    writeFileSync(path.join(solution, 'a.ts'), 'other\n');
    expect(writeDesign(solution, design, out)).toEqual([
      'a.ts: the patch no longer applies to the solution (rewrite it)',
    ]);
  });

  it('counts a design as caught only when the named test fails with the named message', () => {
    const design = parseDesign('01-x', 'email', `${header}\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-x\n+y\n`);
    const variant = {
      name: 'wrong-email',
      kind: 'designs' as const,
      chapter: '01-x',
      dir: '.kata/variants/01-x/wrong-email',
      tests: [],
    };
    const runOf = (status: Status, message?: string) =>
      run([
        test(
          '01-x~designs',
          '.kata/variants/01-x/wrong-email/test/3-api.test.ts',
          'API › answers 409 for a taken email',
          status,
          message,
        ),
      ]);
    const designs: DesignRun[] = [{ design, variant, problems: [] }];
    expect(ok(designsCheck(designs, runOf('failed', 'the same email in other letter case: 201'), 1))).toBe(
      true,
    );
    expect(designsCheck(designs, runOf('passed'), 1).problems[0]).toContain('the tests let it through');
    expect(designsCheck(designs, runOf('failed', 'expected 201 to be 409'), 1).problems[0]).toContain(
      'the message does not say "letter case"',
    );
    expect(designsCheck(designs, runOf('failed', 'letter case'), 5).problems).toEqual([
      '1 wrong designs; each chapter needs at least 5 (solutions/<chapter>/wrong/)',
    ]);
  });
});
