/**
 * `npm run verify [-- 06 …]`: proves the kata's contract, as named checks (scripts/maintainer/lib/checks.ts):
 * - format + lint (Biome), the kit's and the tooling's own tests, types, tests.lock.json;
 * - per chapter: the contract (every test passes on the solution and fails on the untouched skeleton), one
 *   task at a time (the solution taken up to task k passes the tests of tasks 1..k), the wrong designs (each
 *   known-wrong design fails the test it names, with the message it names), types and docs.
 * Chapters named on the command line are checked alone (with lint and types, without the kit and tooling).
 * One line per check, then `verify: N passed, N failed`. Exit code 1 on any violation.
 */
import { parseArgs } from 'node:util';
import { chapters } from '../../chapters/manifest.js';
import { chaptersFrom } from '../lib/chapter-args.js';
import { runBin } from '../lib/command.js';
import { checkLock, describeLock, LOCK_FILE } from '../lib/lock.js';
import { root } from '../lib/paths.js';
import { firstLine, type RunResult } from '../lib/test-outcome.js';
import { typecheck } from '../lib/typecheck.js';
import { runVitest } from '../lib/vitest-run.js';
import { type Check, contractCheck, designsCheck, ok, stagesCheck } from './lib/checks.js';
import { checkDocs, checkKorean, checkKoreanKata } from './lib/docs.js';
import { stubProblems } from './lib/stages.js';
import { prepareVariants, runVariants } from './lib/variants.js';

/** Each chapter keeps at least this many known-wrong designs. */
const MINIMUM_WRONG_DESIGNS = 5;

const { positionals } = parseArgs({ allowPositionals: true, strict: true });
const only = positionals.length > 0;
const selected = only ? chaptersFrom(positionals) : chapters;
const slugs = selected.map((c) => c.slug);
const started = Date.now();
const backend = `${process.env.DATABASE_URL ? 'PostgreSQL' : 'pg-mem'} + ${process.env.REDIS_URL ? 'Redis' : 'ioredis-mock'}`;
console.log(`verify: ${selected.length} chapter${selected.length === 1 ? '' : 's'} on ${backend}`);

const variants = selected.map((chapter) => prepareVariants(root, chapter));
// The solutions, their stages and the wrong designs share one process and its pool of workers; the skeletons
// run in another (another target), while this one lints and type-checks.
const onSolutions = runVariants(
  root,
  variants.flatMap((v) => [...v.stages.map((s) => s.variant), ...v.designs.map((d) => d.variant)]),
  only ? slugs : ['kit', ...slugs],
);
const onSkeletons = runVitest('chapters', slugs);
// The tooling's tests start small vitest runs of their own on a fixture kata.
const onTooling = only ? undefined : runVitest('solutions', ['tooling']);
const lint = runBin('biome', ['ci', '--colors=off', '--error-on-warnings', '.']);
const types = typecheck();
const [solutions, skeletons, tooling, linted] = await Promise.all([
  onSolutions,
  onSkeletons,
  onTooling,
  lint,
]);

let passed = 0;
let failed = 0;
const report = (check: Check, width = 24) => {
  passed += check.passed;
  failed += check.failed;
  console.log(`${ok(check) ? '✔' : '✘'} ${check.label.padEnd(width)} ${check.summary}`);
  for (const problem of check.problems.slice(0, 20)) console.log(`    - ${problem}`);
  if (check.problems.length > 20) console.log(`    … and ${check.problems.length - 20} more`);
};
/** A check that holds when it found no problem: one passed or one failed, with the summary for each case. */
const single = (label: string, problems: string[], whenGood: string, whenBad: string): Check => ({
  label,
  summary: problems.length === 0 ? whenGood : whenBad,
  problems,
  passed: problems.length === 0 ? 1 : 0,
  failed: problems.length === 0 ? 0 : 1,
});

report(single('format + lint', lintProblems(linted), 'Biome: clean', 'Biome found problems'));
if (!only) {
  report(testsCheck('kit + scripts', solutions, 'kit', 'kit tests; types', types.other));
  if (tooling)
    report(testsCheck('tooling', tooling, 'tooling', 'tests of progress, grade, lock, export, verify'));
  const korean = checkKoreanKata();
  report(single('Korean edition', korean, 'README.ko.md, runner messages', 'out of step'));
  const lock = checkLock(root);
  report(
    single(LOCK_FILE, describeLock(lock), 'current', 'stale: run `npm run lock` and commit tests.lock.json'),
  );
}

for (const { chapter, stubs, stages, designs } of variants) {
  console.log(`— ${chapter.slug}`);
  report({ ...contractCheck(chapter.slug, solutions, skeletons), label: '  contract' });
  const solutionDir = `${root}solutions/${chapter.slug}/src`;
  report({
    ...stagesCheck(stages, stubProblems(stubs, solutionDir), solutions),
    label: '  one task at a time',
  });
  report({ ...designsCheck(designs, solutions, MINIMUM_WRONG_DESIGNS), label: '  wrong designs' });
  const typeErrors = [
    ...(types.skeleton.get(chapter.slug) ?? []).map((e) => `skeleton: ${e}`),
    ...(types.solution.get(chapter.slug) ?? []).map((e) => `solution: ${e}`),
  ];
  report(single('  types', typeErrors, 'skeleton and solution', 'errors'));
  const korean = checkKorean(chapter);
  report(single('  Korean edition', korean, 'README.ko.md and hints.ko.md in step', 'out of step'));
  const docs = checkDocs(chapter);
  report(single('  docs', docs, 'README sections, hints', 'problems'));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
const runs: [string, RunResult | undefined][] = [
  ['solutions, stages and wrong designs', solutions],
  ['skeletons', skeletons],
  ['tooling tests', tooling],
];
console.log(
  `took ${seconds(Date.now() - started)}, runs side by side (${runs
    .flatMap(([what, run]) => (run ? [`${what} ${seconds(run.durationMs)}`] : []))
    .join('; ')})`,
);
console.log(`verify: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

function testsCheck(
  label: string,
  run: RunResult,
  project: string,
  what: string,
  extra: string[] = [],
): Check {
  const tests = run.tests.filter((t) => t.project === project);
  const failures = tests.filter((t) => t.status !== 'passed');
  const problems = [
    ...failures.map((t) => `${t.file.split('/').pop()} › ${t.name}: ${t.status} ${firstLine(t.message)}`),
    ...run.fileFailures.filter((f) => f.project === project).map((f) => `${f.file}: ${f.message}`),
    ...extra,
    ...(tests.length === 0 ? [`no ${project} test ran`, ...run.output.trim().split('\n').slice(-15)] : []),
  ];
  return {
    label,
    summary: `${tests.length} ${what}`,
    problems,
    passed: tests.length - failures.length,
    failed: failures.length + extra.length + (tests.length === 0 ? 1 : 0),
  };
}

function lintProblems(result: { code: number; output: string }): string[] {
  if (result.code === 0) return [];
  return result.output
    .split('\n')
    .filter((line) => /━━━|error|✖/.test(line))
    .slice(0, 20)
    .concat('run `npm run format` to fix what can be fixed');
}
