/**
 * `npm run verify`: proves the kata's contract for every chapter in the manifest.
 * - every test passes on the reference solution, and every single test fails on the untouched skeleton;
 * - skeleton and solution type-check, with the tests compiled against each;
 * - the README has its sections and its hints match the manifest;
 * - the code is formatted and linted (Biome); the kit's and the tooling's own tests pass;
 * - tests.lock.json matches the tests, the kit, the manifest and the vitest config.
 * One line per chapter, then `verify: N passed, N failed`. Exit code 1 on any violation.
 */
import { chapters } from '../chapters/manifest.js';
import { runBin } from './lib/command.js';
import { checkDocs } from './lib/docs.js';
import { checkLock, describeLock, LOCK_FILE } from './lib/lock.js';
import { root } from './lib/paths.js';
import { firstLine } from './lib/test-outcome.js';
import { typecheck } from './lib/typecheck.js';
import { type RunResult, runVitest, type TestOutcome } from './lib/vitest-run.js';

const started = Date.now();
const slugs = chapters.map((c) => c.slug);
const backend = `${process.env.DATABASE_URL ? 'PostgreSQL' : 'pg-mem'} + ${process.env.REDIS_URL ? 'Redis' : 'ioredis-mock'}`;
console.log(`verify: ${chapters.length} chapters on ${backend}`);

// The two test runs are separate processes; they go on while this one lints and type-checks.
const onSolutions = runVitest('solutions', ['kit', ...slugs]);
const onSkeletons = runVitest('chapters', slugs);
const lint = runBin('biome', ['ci', '--colors=off', '--error-on-warnings', '.']);
const types = typecheck();
const [solutions, skeletons, linted] = await Promise.all([onSolutions, onSkeletons, lint]);
// The tooling's tests start vitest processes of their own: run them after the chapters' timing-sensitive tests.
const tooling = await runVitest('solutions', ['tooling']);

let passed = 0;
let failed = 0;
const report = (ok: boolean, label: string, summary: string, problems: string[] = []) => {
  console.log(`${ok ? '✔' : '✘'} ${label.padEnd(22)} ${summary}`);
  for (const problem of problems.slice(0, 20)) console.log(`    - ${problem}`);
  if (problems.length > 20) console.log(`    … and ${problems.length - 20} more`);
};
const count = (ok: boolean, n = 1) => {
  if (ok) passed += n;
  else failed += n;
};

// Lint and the kit come first: every chapter stands on them.
count(linted.code === 0);
report(
  linted.code === 0,
  'format + lint',
  linted.code === 0 ? 'Biome: clean' : 'Biome found problems',
  lintProblems(),
);
const kitTests = solutions.tests.filter((t) => t.project === 'kit');
const kitFailures = kitTests.filter((t) => t.status !== 'passed');
count(true, kitTests.length - kitFailures.length);
count(false, kitFailures.length);
const kitProblems = [
  ...kitFailures.map((t) => `${t.name}: ${t.status} ${firstLine(t.message)}`),
  ...solutions.fileFailures.filter((f) => f.project === 'kit').map((f) => `${f.file}: ${f.message}`),
  ...types.other,
];
count(types.other.length === 0);
if (kitTests.length === 0) count(false);
report(
  kitProblems.length === 0 && kitTests.length > 0,
  'kit + scripts',
  `${kitTests.length} kit tests; types`,
  [...kitProblems, ...(kitTests.length === 0 ? ['no kit test ran', ...tail(solutions)] : [])],
);

// The tooling (progress, grade, lock, export) has its own tests, on fixture chapters.
const toolingTests = tooling.tests.filter((t) => t.project === 'tooling');
const toolingFailures = toolingTests.filter((t) => t.status !== 'passed');
const toolingProblems = [
  ...toolingFailures.map(
    (t) => `${t.file.split('/').pop()} › ${t.name}: ${t.status} ${firstLine(t.message)}`,
  ),
  ...tooling.fileFailures.filter((f) => f.project === 'tooling').map((f) => `${f.file}: ${f.message}`),
  ...(toolingTests.length === 0 ? ['no tooling test ran', ...tail(tooling)] : []),
];
count(true, toolingTests.length - toolingFailures.length);
count(false, toolingFailures.length || (toolingTests.length === 0 ? 1 : 0));
report(
  toolingProblems.length === 0,
  'tooling',
  `${toolingTests.length} tests of progress, grade, lock, export`,
  toolingProblems,
);

// The lock must name exactly the tests and kit of this commit, or every learner's grade is invalid.
const lock = checkLock(root);
count(lock.valid);
report(
  lock.valid,
  LOCK_FILE,
  lock.valid ? 'current' : 'stale: run `npm run lock` and commit tests.lock.json',
  describeLock(lock),
);

for (const chapter of chapters) {
  const problems: string[] = [];
  const onSolution = solutions.tests.filter((t) => t.project === chapter.slug);
  const onSkeleton = new Map(
    skeletons.tests.filter((t) => t.project === chapter.slug).map((t) => [key(t), t] as const),
  );
  let contractHolds = 0;
  for (const test of onSolution) {
    const skeleton = onSkeleton.get(key(test));
    const where = `${test.file.split('/').pop()} › ${test.name}`;
    if (test.status !== 'passed')
      problems.push(`${status(test.status, 'on the solution')}: ${where} — ${firstLine(test.message)}`);
    if (!skeleton) problems.push(`did not run on the skeleton: ${where}`);
    else if (skeleton.status !== 'failed')
      problems.push(`${status(skeleton.status, 'on the untouched skeleton')}: ${where}`);
    if (test.status === 'passed' && skeleton?.status === 'failed') contractHolds += 1;
  }
  for (const f of solutions.fileFailures.filter((x) => x.project === chapter.slug)) {
    problems.push(`${f.file} failed on the solution: ${f.message}`);
  }
  for (const f of skeletons.fileFailures.filter((x) => x.project === chapter.slug)) {
    if (!skeletons.tests.some((t) => t.file === f.file)) {
      problems.push(
        `${f.file} does not load on the skeleton (the skeleton must export what the tests import): ${f.message}`,
      );
    }
  }
  if (onSolution.length === 0) problems.push('no test ran on the solution', ...tail(solutions));
  count(true, contractHolds);
  count(false, onSolution.length - contractHolds || (onSolution.length === 0 ? 1 : 0));

  const skeletonTypes = types.skeleton.get(chapter.slug) ?? [];
  const solutionTypes = types.solution.get(chapter.slug) ?? [];
  const docs = checkDocs(chapter);
  count(skeletonTypes.length === 0);
  count(solutionTypes.length === 0);
  count(docs.length === 0);
  problems.push(
    ...skeletonTypes.map((e) => `type error (skeleton): ${e}`),
    ...solutionTypes.map((e) => `type error (solution): ${e}`),
    ...docs.map((d) => `docs: ${d}`),
  );
  const seconds = (sum(onSolution) / 1000).toFixed(1);
  report(
    problems.length === 0,
    chapter.slug,
    `${contractHolds}/${onSolution.length} tests fail on the skeleton and pass on the solution (${seconds} s of tests); ` +
      `types ${skeletonTypes.length + solutionTypes.length === 0 ? 'ok' : 'FAIL'}; docs ${docs.length === 0 ? 'ok' : 'FAIL'}`,
    problems,
  );
}

console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`verify: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

function key(t: TestOutcome): string {
  return `${t.file}\u0000${t.name}`;
}

function status(s: string, where: string): string {
  if (s === 'passed') return `passes ${where}`;
  if (s === 'failed') return `fails ${where}`;
  return `is ${s} ${where} (a skipped check is a defect)`;
}

function sum(tests: TestOutcome[]): number {
  return tests.reduce((total, t) => total + t.durationMs, 0);
}

function tail(run: RunResult): string[] {
  return run.output.trim().split('\n').slice(-15);
}

function lintProblems(): string[] {
  if (linted.code === 0) return [];
  return linted.output
    .split('\n')
    .filter((line) => /━━━|error|✖/.test(line))
    .slice(0, 20)
    .concat('run `npm run format` to fix what can be fixed');
}
