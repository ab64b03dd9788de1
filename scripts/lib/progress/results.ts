/** Per-chapter results of a test run, and which chapter is current: the first one not complete. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../test-outcome.js';
import { inReadingOrder } from '../test-outcome.js';

export interface ChapterInfo {
  id: string;
  slug: string;
  title: string;
}

export interface ChapterResult {
  passed: number;
  total: number;
  /** The first failing test in task order (files are numbered), with its teaching message. */
  firstFailure?: { file: string; name: string; message: string };
  /** When the run that gave these results ended (ms since 1970): results older than an edit are stale. */
  ranAt?: number;
}

export function resultOf(chapter: ChapterInfo, run: RunResult, now = Date.now()): ChapterResult {
  const tests = inReadingOrder(run.tests.filter((t) => t.project === chapter.slug));
  const passed = tests.filter((t) => t.status === 'passed').length;
  const failing = tests.find((t) => t.status !== 'passed');
  const broken = run.fileFailures.find((f) => f.project === chapter.slug);
  const firstFailure = failing
    ? { file: failing.file, name: failing.name, message: failing.message ?? `the test is ${failing.status}` }
    : broken
      ? { file: broken.file, name: 'the test file did not load', message: broken.message }
      : undefined;
  return {
    passed,
    total: tests.length + (broken && tests.length === 0 ? 1 : 0),
    ...(firstFailure ? { firstFailure } : {}),
    ranAt: now,
  };
}

/** No results, results of a run that kept no time, or of a run before the last edit below `srcDir`. */
export function isStale(result: ChapterResult | undefined, srcDir: string): boolean {
  return !result?.ranAt || result.ranAt < lastEdited(srcDir);
}

/** The time of the newest change of a file below a folder (0 when it is missing). */
function lastEdited(dir: string): number {
  let newest = 0;
  for (const entry of existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }) : []) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function isComplete(result: ChapterResult | undefined): boolean {
  return result !== undefined && result.total > 0 && result.passed === result.total && !result.firstFailure;
}

/** The first chapter not complete; the last chapter when all are. */
export function currentChapter(chapters: ChapterInfo[], results: Record<string, ChapterResult>): string {
  return (chapters.find((c) => !isComplete(results[c.id])) ?? chapters[chapters.length - 1])?.id ?? '';
}
