/**
 * The grade as Classroom 50's result file: `result.json`, schema `classroom50/result/v1`, which Classroom 50's
 * runner reads from the root of the learner's checkout after the instructor's `autograder.py` has run (see
 * templates/classroom50-autograder.py and the README, "For instructors").
 *
 * One entry per test (`test-name`, `passed`, `score`, `max-score`, plus `chapter` and the failure `message`);
 * every chapter is worth the same points, split over its tests, so a chapter with many tests does not outweigh
 * one with few. Scores are whole numbers, as the format requires. When the tests or the kit were edited, the
 * grade does not count: every score is 0 and an `integrity` entry says why.
 */
import { describeLock } from '../lock.js';
import type { GradeReport } from './report.js';

export const CLASSROOM50_SCHEMA = 'classroom50/result/v1';
export const CLASSROOM50_FILE = 'result.json';
/** What each chapter is worth unless `npm run grade -- --points <n>` says otherwise. */
export const DEFAULT_POINTS_PER_CHAPTER = 100;

/** Who and what was graded. Classroom 50's runner passes these to the autograder and stamps some itself. */
export interface Classroom50Identity {
  classroom: string;
  assignment: string;
  assignment_type: string;
  owner: string;
  /** The submit tag, `submit/<UTC-timestamp>-<short-sha>`. */
  submission: string;
  commit: string;
  release: string;
  review: string;
}

export interface Classroom50Test {
  'test-name': string;
  passed: boolean;
  score: number;
  'max-score': number;
  /** Chapter id (`01`); absent on the integrity entry. */
  chapter?: string;
  message?: string;
}

export interface Classroom50Result extends Classroom50Identity {
  schema: typeof CLASSROOM50_SCHEMA;
  /** UTC, `YYYY-MM-DDTHH:MM:SSZ`. The runner replaces it with the graded commit's date. */
  datetime: string;
  graded_at: string;
  score: number;
  'max-score': number;
  tests: Classroom50Test[];
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the only timestamp form the format accepts. */
export function utcSeconds(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}

/**
 * The identity from the environment. Under Classroom 50 its runner sets CLASSROOM, ASSIGNMENT, SUBMISSION_TAG,
 * OWNER, ASSIGNMENT_TYPE, COMMIT_URL, RELEASE_URL and REVIEW_URL. Elsewhere (a plain GitHub workflow, a
 * local run) the fields say what was graded instead: the kata, the chapters, the commit and the run.
 */
export function classroom50Identity(
  report: GradeReport,
  env: Record<string, string | undefined> = process.env,
): Classroom50Identity {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repo = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  const commit = env.COMMIT_URL || (repo && sha ? `${server}/${repo}/commit/${sha}` : 'local');
  const run = repo && env.GITHUB_RUN_ID ? `${server}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const stamp = utcSeconds(report.gradedAt).replace(/:/g, '-');
  return {
    classroom: env.CLASSROOM || report.kata,
    assignment: env.ASSIGNMENT || `chapters-${report.chapters.map((c) => c.id).join('-') || 'none'}`,
    assignment_type: env.ASSIGNMENT_TYPE || 'individual',
    owner: env.OWNER || env.GITHUB_REPOSITORY_OWNER || env.GITHUB_ACTOR || 'local',
    submission: env.SUBMISSION_TAG || `submit/${stamp}-${sha ? sha.slice(0, 7) : 'local'}`,
    commit,
    release: env.RELEASE_URL || run || commit,
    review: env.REVIEW_URL || commit,
  };
}

/**
 * `points` split over `count` tests in whole numbers that add up to `points`: every test gets the same share,
 * and the remainder goes one point each to the first tests in task order.
 */
export function splitPoints(points: number, count: number): number[] {
  if (count === 0) return [];
  const share = Math.floor(points / count);
  const extra = points - share * count;
  return Array.from({ length: count }, (_, i) => share + (i < extra ? 1 : 0));
}

export function classroom50Result(
  report: GradeReport,
  pointsPerChapter: number,
  identity: Classroom50Identity,
): Classroom50Result {
  const counts = report.integrity.valid;
  const tests: Classroom50Test[] = [];
  if (!counts) {
    tests.push({
      'test-name': 'integrity: tests.lock.json matches the tests and the kit',
      passed: false,
      score: 0,
      'max-score': 0,
      message: ['tests or kit edited: the grade does not count', ...describeLock(report.integrity)].join(
        '\n',
      ),
    });
  }
  for (const chapter of report.chapters) {
    const own = report.tests.filter((t) => t.chapter === chapter.id);
    if (own.length === 0) {
      // A chapter whose run produced nothing still weighs its points, so totals stay comparable.
      tests.push({
        'test-name': `${chapter.id} ${chapter.title}: the tests did not run`,
        passed: false,
        score: 0,
        'max-score': pointsPerChapter,
        chapter: chapter.id,
      });
      continue;
    }
    const points = splitPoints(pointsPerChapter, own.length);
    own.forEach((test, i) => {
      const passed = test.status === 'passed';
      const max = points[i] ?? 0;
      tests.push({
        'test-name': `${chapter.id} › ${test.file.split('/').pop() ?? test.file} › ${test.name}`,
        passed,
        score: passed && counts ? max : 0,
        'max-score': max,
        chapter: chapter.id,
        ...(test.message ? { message: test.message } : {}),
      });
    });
  }
  const gradedAt = utcSeconds(report.gradedAt);
  return {
    schema: CLASSROOM50_SCHEMA,
    ...identity,
    datetime: gradedAt,
    graded_at: gradedAt,
    score: tests.reduce((n, t) => n + t.score, 0),
    'max-score': tests.reduce((n, t) => n + t['max-score'], 0),
    tests,
  };
}

export function renderClassroom50(
  report: GradeReport,
  pointsPerChapter: number,
  env: Record<string, string | undefined> = process.env,
): string {
  const result = classroom50Result(report, pointsPerChapter, classroom50Identity(report, env));
  return `${JSON.stringify(result, null, 2)}\n`;
}
