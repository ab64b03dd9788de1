/**
 * The learner's progress between runs of `npm start`: revealed hint tiers, the current chapter and the last
 * results, in .kata/progress.json (git-ignored). A missing or broken file means a fresh start.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChapterResult } from './results.js';

export const PROGRESS_FILE = '.kata/progress.json';

export interface Progress {
  version: 1;
  current?: string;
  hintTiers: Record<string, number>;
  results: Record<string, ChapterResult>;
  updatedAt?: string;
}

export function emptyProgress(): Progress {
  return { version: 1, hintTiers: {}, results: {} };
}

export function readProgress(root: string): Progress {
  try {
    const data = JSON.parse(readFileSync(path.join(root, PROGRESS_FILE), 'utf8')) as Partial<Progress>;
    if (data.version !== 1) return emptyProgress();
    const hintTiers: Record<string, number> = {};
    for (const [id, tier] of Object.entries(data.hintTiers ?? {})) {
      if (Number.isInteger(tier) && tier >= 0) hintTiers[id] = Math.min(3, tier);
    }
    const results = typeof data.results === 'object' && data.results !== null ? data.results : {};
    return {
      version: 1,
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
