/** Which task a hint is for, and the next tier of it: shared by `h` in `npm start` and `npm run hint`. */
import { taskOfTestFile } from '../hints.js';
import type { ChapterResult } from './results.js';
import type { HintTiers } from './store.js';

/**
 * The task whose test fails first (its test file's number), as the nearest task at or below it that has
 * hints; the first task when nothing ran yet; undefined when every test passes.
 */
export function taskAtHand(result: ChapterResult | undefined, tasks: number[]): number | undefined {
  const sorted = [...tasks].sort((a, b) => a - b);
  if (!result) return sorted[0];
  if (!result.firstFailure) return undefined;
  const failing = taskOfTestFile(result.firstFailure.file) ?? sorted[0] ?? 1;
  return [...sorted].reverse().find((t) => t <= failing) ?? sorted[0];
}

export function tiersSeen(tiers: HintTiers, chapter: string, task: number): number {
  return tiers[chapter]?.[String(task)] ?? 0;
}

/** The tiers with one more revealed for the task (at most three). */
export function revealNext(tiers: HintTiers, chapter: string, task: number): HintTiers {
  const next = Math.min(3, tiersSeen(tiers, chapter, task) + 1);
  return { ...tiers, [chapter]: { ...tiers[chapter], [String(task)]: next } };
}
