/** The grade report: what results.json holds, and how it is computed from test runs. */
import type { LockCheck } from '../lock.js';
import type { RunResult, Status } from '../test-outcome.js';

export interface GradedTest {
  /** Chapter id, `01`. */
  chapter: string;
  file: string;
  name: string;
  status: Status;
  message?: string;
  durationMs: number;
}

export interface GradedChapter {
  id: string;
  slug: string;
  title: string;
  passed: number;
  total: number;
  /** Percent of the chapter's tests that pass, one decimal. */
  score: number;
  durationMs: number;
  /** The chapter's run reached its time limit; unfinished tests count as failed. */
  timedOut: boolean;
  /** Test files that could not run (each counts as one failed test). */
  fileFailures: { file: string; message: string }[];
}

export interface GradeReport {
  kata: string;
  gradedAt: string;
  /** Always `chapters`: the learner's code. */
  target: 'chapters';
  integrity: LockCheck;
  overall: { passed: number; total: number; score: number; chapters: number; complete: number };
  chapters: GradedChapter[];
  tests: GradedTest[];
  /** Problems of the grading itself (a run that produced nothing); empty when grading completed. */
  errors: string[];
}

export interface ChapterRef {
  id: string;
  slug: string;
  title: string;
}

export function percent(passed: number, total: number): number {
  return total === 0 ? 0 : Math.round((passed / total) * 1000) / 10;
}

export function gradeChapter(
  chapter: ChapterRef,
  run: RunResult,
): { chapter: GradedChapter; tests: GradedTest[] } {
  const tests: GradedTest[] = run.tests
    .filter((t) => t.project === chapter.slug)
    .map((t) => ({
      chapter: chapter.id,
      file: t.file,
      name: t.name,
      status: t.status,
      ...(t.message ? { message: t.message } : {}),
      durationMs: t.durationMs,
    }));
  const fileFailures = run.fileFailures
    .filter((f) => f.project === chapter.slug && !tests.some((t) => t.file === f.file))
    .map((f) => ({ file: f.file, message: f.message }));
  // A file that did not load counts as one failed test, so that breaking an import never raises a score.
  for (const f of fileFailures) {
    tests.push({
      chapter: chapter.id,
      file: f.file,
      name: '(the test file did not run)',
      status: 'failed',
      message: f.message,
      durationMs: 0,
    });
  }
  const passed = tests.filter((t) => t.status === 'passed').length;
  return {
    chapter: {
      // Only these three: callers pass the manifest's chapters, whose hints do not belong in a grade.
      id: chapter.id,
      slug: chapter.slug,
      title: chapter.title,
      passed,
      total: tests.length,
      score: percent(passed, tests.length),
      durationMs: run.durationMs,
      timedOut: run.timedOut === true,
      fileFailures,
    },
    tests,
  };
}

export function overallOf(chapters: GradedChapter[]): GradeReport['overall'] {
  const passed = chapters.reduce((n, c) => n + c.passed, 0);
  const total = chapters.reduce((n, c) => n + c.total, 0);
  return {
    passed,
    total,
    score: percent(passed, total),
    chapters: chapters.length,
    complete: chapters.filter((c) => c.total > 0 && c.passed === c.total).length,
  };
}
