/**
 * Grades the learner's code: each chapter's tests against chapters/<slug>/src (never the solutions), one
 * child process per chapter with a time limit, and the test lock checked. Writes results.json, junit.xml,
 * summary.md and Classroom 50's result.json, and appends the summary to $GITHUB_STEP_SUMMARY when it is set.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkLock } from '../lock.js';
import type { RunResult } from '../test-outcome.js';
import { type RunOptions, runVitest } from '../vitest-run.js';
import { CLASSROOM50_FILE, DEFAULT_POINTS_PER_CHAPTER, renderClassroom50 } from './classroom50.js';
import { renderJunit } from './junit.js';
import { type ChapterRef, type GradeReport, gradeChapter, overallOf } from './report.js';
import { renderSummary } from './summary.js';

export interface GradeOptions {
  root: string;
  chapters: ChapterRef[];
  /** Time limit of each chapter's run. */
  timeLimitMs: number;
  kata?: string;
  log?: (line: string) => void;
  /** How a chapter runs (tests may replace it). */
  run?: (target: 'chapters', projects: string[], options: RunOptions) => Promise<RunResult>;
}

export async function grade(options: GradeOptions): Promise<GradeReport> {
  const { root, timeLimitMs, log = () => {}, run = runVitest } = options;
  const integrity = checkLock(root);
  const chapters: GradeReport['chapters'] = [];
  const tests: GradeReport['tests'] = [];
  const errors: string[] = [];
  for (const ref of options.chapters) {
    const result = await run('chapters', [ref.slug], { root, timeLimitMs });
    const graded = gradeChapter(ref, result);
    chapters.push(graded.chapter);
    tests.push(...graded.tests);
    const { passed, total, timedOut } = graded.chapter;
    log(
      `${ref.id}  ${ref.title.padEnd(44)} ${passed}/${total}${timedOut ? ' (time limit reached)' : ''}  ${(result.durationMs / 1000).toFixed(1)} s`,
    );
    if (total === 0 && !timedOut) {
      const tail = result.output.trim().split('\n').slice(-5).join(' / ');
      errors.push(`chapter ${ref.id}: the test run produced no results${tail ? `: ${tail}` : ''}`);
    }
  }
  return {
    kata: options.kata ?? 'zero-to-millions',
    gradedAt: new Date().toISOString(),
    target: 'chapters',
    integrity,
    overall: overallOf(chapters),
    chapters,
    tests,
    errors,
  };
}

export interface ReportOptions {
  /** Points each chapter is worth in Classroom 50's result.json (default 100). */
  pointsPerChapter?: number;
  /** Where Classroom 50's identity comes from (default: the process environment). */
  env?: Record<string, string | undefined>;
}

/** Writes the four reports into `out` and returns their paths. */
export function writeReports(report: GradeReport, out: string, options: ReportOptions = {}): string[] {
  const { pointsPerChapter = DEFAULT_POINTS_PER_CHAPTER, env = process.env } = options;
  mkdirSync(out, { recursive: true });
  const files: [string, string][] = [
    ['results.json', `${JSON.stringify(report, null, 2)}\n`],
    ['junit.xml', renderJunit(report)],
    ['summary.md', renderSummary(report)],
    [CLASSROOM50_FILE, renderClassroom50(report, pointsPerChapter, env)],
  ];
  for (const [name, text] of files) writeFileSync(path.join(out, name), text);
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (stepSummary) appendFileSync(stepSummary, `${renderSummary(report)}\n`);
  return files.map(([name]) => path.join(out, name));
}

/**
 * 0: grading completed, whatever the tests said. 1: the integrity check failed (the reports are still
 * written, marked invalid). 2: grading itself broke (a chapter's run produced no results).
 */
export function exitCodeOf(report: GradeReport): number {
  if (report.errors.length > 0) return 2;
  return report.integrity.valid ? 0 : 1;
}
