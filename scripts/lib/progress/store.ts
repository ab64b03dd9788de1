/**
 * The learner's progress between runs of `npm start` and `npm run hint`: the hint tiers revealed per task,
 * the current chapter and the last results, in .kata/progress.json (git-ignored). A missing or broken file
 * means a fresh start; a file of the first version keeps its results and forgets its per-chapter hint counts.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChapterResult } from './results.js';

export const PROGRESS_FILE = '.kata/progress.json';

/** Chapter id → task number → hint tiers revealed (0–3). */
export type HintTiers = Record<string, Record<string, number>>;

export interface Progress {
  version: 2;
  current?: string;
  hintTiers: HintTiers;
  results: Record<string, ChapterResult>;
  updatedAt?: string;
}

export function emptyProgress(): Progress {
  return { version: 2, hintTiers: {}, results: {} };
}

export function readProgress(root: string): Progress {
  try {
    const data = JSON.parse(readFileSync(path.join(root, PROGRESS_FILE), 'utf8')) as Partial<
      Omit<Progress, 'version'>
    > & { version?: number };
    if (data.version !== 1 && data.version !== 2) return emptyProgress();
    const hintTiers: HintTiers = {};
    if (data.version === 2) {
      for (const [chapter, tasks] of Object.entries(data.hintTiers ?? {})) {
        for (const [task, tier] of Object.entries(tasks ?? {})) {
          if (!Number.isInteger(tier) || tier <= 0) continue;
          hintTiers[chapter] = { ...hintTiers[chapter], [task]: Math.min(3, tier) };
        }
      }
    }
    const results = typeof data.results === 'object' && data.results !== null ? data.results : {};
    return {
      version: 2,
      hintTiers,
      results,
      ...(typeof data.current === 'string' ? { current: data.current } : {}),
    };
  } catch {
    return emptyProgress();
  }
}

/** Writes atomically (a temporary file, then a rename), so a quit mid-write leaves the old file. */
export function writeProgress(root: string, progress: Progress, now = new Date()): void {
  const file = path.join(root, PROGRESS_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ ...progress, updatedAt: now.toISOString() }, null, 2)}\n`);
  renameSync(temporary, file);
}
