/**
 * verify's named checks, as functions of test results: each gives a verdict, a one-line summary, the
 * problems as sentences, and how many checked things passed and failed. scripts/test/verify.test.ts tries
 * each on hand-made results.
 */
import { firstLine, type RunResult, type TestOutcome } from '../../lib/test-outcome.js';
import { type DesignRun, inVariant, type Stage } from './variants.js';

export interface Check {
  label: string;
  summary: string;
  problems: string[];
  passed: number;
  failed: number;
}

export function ok(check: Check): boolean {
  return check.failed === 0 && check.problems.length === 0;
}

/** Every test passes on the solution and fails on the untouched skeleton. */
export function contractCheck(slug: string, solutions: RunResult, skeletons: RunResult): Check {
  const problems: string[] = [];
  const onSolution = solutions.tests.filter((t) => t.project === slug);
  const onSkeleton = new Map(skeletons.tests.filter((t) => t.project === slug).map((t) => [key(t), t]));
  let holds = 0;
  for (const test of onSolution) {
    const skeleton = onSkeleton.get(key(test));
    const where = `${base(test.file)} › ${test.name}`;
    if (test.status !== 'passed')
      problems.push(`${status(test.status, 'on the solution')}: ${where} — ${firstLine(test.message)}`);
    if (!skeleton) problems.push(`did not run on the skeleton: ${where}`);
    else if (skeleton.status !== 'failed')
      problems.push(`${status(skeleton.status, 'on the untouched skeleton')}: ${where}`);
    if (test.status === 'passed' && skeleton?.status === 'failed') holds += 1;
  }
  for (const f of solutions.fileFailures.filter((x) => x.project === slug))
    problems.push(`${f.file} failed on the solution: ${f.message}`);
  for (const f of skeletons.fileFailures.filter((x) => x.project === slug)) {
    if (!skeletons.tests.some((t) => t.file === f.file))
      problems.push(
        `${f.file} does not load on the skeleton (the skeleton must export what the tests import): ${f.message}`,
      );
  }
  if (onSolution.length === 0) problems.push('no test ran on the solution');
  const seconds = (onSolution.reduce((s, t) => s + t.durationMs, 0) / 1000).toFixed(1);
  return {
    label: 'contract',
    summary: `${holds}/${onSolution.length} tests fail on the skeleton and pass on the solution (${seconds} s of tests)`,
    problems,
    passed: holds,
    failed: onSolution.length - holds || (onSolution.length === 0 ? 1 : 0),
  };
}

/** One task at a time: stage k (the solution up to task k) passes every test of tasks 1..k. */
export function stagesCheck(stages: Stage[], stubProblems: string[], run: RunResult): Check {
  const problems = [...stubProblems];
  let passed = 0;
  let failed = stubProblems.length;
  for (const stage of stages) {
    const tests = inVariant(run.tests, stage.variant);
    const broken = tests.filter((t) => t.status !== 'passed');
    const fileFailures = inVariant(run.fileFailures, stage.variant);
    for (const t of broken)
      problems.push(
        `with tasks 1–${stage.task} done, ${base(t.file)} › ${t.name} ${t.status === 'failed' ? 'fails' : `is ${t.status}`}: ${firstLine(t.message)}`,
      );
    for (const f of fileFailures)
      problems.push(`with tasks 1–${stage.task} done, ${f.file} does not run: ${f.message}`);
    if (tests.length === 0 && fileFailures.length === 0) problems.push(`stage ${stage.task}: no test ran`);
    const good = broken.length === 0 && fileFailures.length === 0 && tests.length > 0;
    if (good) passed += 1;
    else failed += 1;
  }
  const summary =
    stages.length === 0
      ? 'one task: nothing to stage'
      : `${passed}/${stages.length} stages pass their tasks' tests (tasks 1..k done, the rest stubs)`;
  return { label: 'one task at a time', summary, problems, passed, failed };
}

/** Every known-wrong design fails the test it names, with the message fragment it names. */
export function designsCheck(designs: DesignRun[], run: RunResult, minimum: number): Check {
  const problems: string[] = [];
  let passed = 0;
  for (const { design, variant, problems: own } of designs) {
    const label = `wrong/${design.name}.patch (${design.misconception})`;
    if (own.length > 0) {
      problems.push(...own.map((p) => `${label}: ${p}`));
      continue;
    }
    const tests = inVariant(run.tests, variant);
    const named = tests.filter((t) => t.name.includes(design.test));
    const caught = named.find((t) => t.status === 'failed' && (t.message ?? '').includes(design.message));
    if (caught) {
      passed += 1;
      continue;
    }
    const [fileFailure] = inVariant(run.fileFailures, variant);
    if (fileFailure) problems.push(`${label}: ${design.file} did not run: ${firstLine(fileFailure.message)}`);
    else if (named.length === 0)
      problems.push(`${label}: no test of ${design.file} is named "${design.test}"`);
    else if (named.every((t) => t.status === 'passed')) {
      const elsewhere = tests.filter((t) => t.status === 'failed').map((t) => t.name);
      problems.push(
        `${label}: passes "${design.test}"${elsewhere.length ? ` (fails elsewhere: ${elsewhere.join('; ')})` : ' and every other test: the tests let it through'}`,
      );
    } else {
      const failing = named.find((t) => t.status === 'failed');
      problems.push(
        `${label}: fails "${design.test}", but the message does not say "${design.message}": ${firstLine(failing?.message)}`,
      );
    }
  }
  if (designs.length < minimum)
    problems.push(
      `${designs.length} wrong designs; each chapter needs at least ${minimum} (solutions/<chapter>/wrong/)`,
    );
  const failed = designs.length - passed + (designs.length < minimum ? 1 : 0);
  return {
    label: 'wrong designs',
    summary: `${passed}/${designs.length} known-wrong designs caught by the test they name`,
    problems,
    passed,
    failed,
  };
}

export function key(t: TestOutcome): string {
  return `${t.file}\u0000${t.name}`;
}

function base(file: string): string {
  return file.split('/').pop() ?? file;
}

function status(s: string, where: string): string {
  if (s === 'passed') return `passes ${where}`;
  if (s === 'failed') return `fails ${where}`;
  return `is ${s} ${where} (a skipped check is a defect)`;
}
