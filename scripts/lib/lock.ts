/**
 * The test lock: the sha256 of every file a learner must not edit to change a verdict — the tests of every
 * chapter, the kit, the manifest (it lists what is graded, with time limits) and the vitest config (it
 * decides what runs). `npm run lock` writes tests.lock.json; `npm run grade` and `npm run verify` check it.
 * Paths are sorted and use `/`; line endings are normalised, so a checkout with CRLF files still matches.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'tests.lock.json';
const ABOUT =
  'sha256 of the files a learner must not edit. Written by `npm run lock`, checked by `npm run grade` and `npm run verify`.';

export interface Lock {
  about: string;
  files: Record<string, string>;
}

export interface LockCheck {
  valid: boolean;
  /** Locked files whose content differs. */
  changed: string[];
  /** Files in locked places that the lock does not know. */
  added: string[];
  /** Locked files that are gone. */
  removed: string[];
  /** Why the lock could not be checked at all (no lock file, unreadable). */
  problem?: string;
  /** sha256 of the lock file itself: compare it with the kata's to know the lock was not rewritten. */
  lockDigest?: string;
}

/** Every locked file under root, relative, with `/`, sorted. */
export function lockedPaths(root: string): string[] {
  const found = ['chapters/manifest.ts', 'vitest.config.ts'].filter((f) => existsSync(path.join(root, f)));
  found.push(...walk(root, 'kit'));
  const chapters = path.join(root, 'chapters');
  if (existsSync(chapters)) {
    for (const entry of readdirSync(chapters, { withFileTypes: true })) {
      if (entry.isDirectory()) found.push(...walk(root, `chapters/${entry.name}/test`));
    }
  }
  return [...new Set(found)].sort();
}

export function digest(content: Buffer | string): string {
  const text = Buffer.isBuffer(content) ? content.toString('utf8') : content;
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

export function computeLock(root: string): Lock {
  const files: Record<string, string> = {};
  for (const file of lockedPaths(root)) files[file] = digest(readFileSync(path.join(root, file)));
  return { about: ABOUT, files };
}

export function renderLock(lock: Lock): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

export function writeLock(root: string): Lock {
  const lock = computeLock(root);
  writeFileSync(path.join(root, LOCK_FILE), renderLock(lock));
  return lock;
}

export function checkLock(root: string): LockCheck {
  const none = { valid: false, changed: [], added: [], removed: [] };
  let text: string;
  try {
    text = readFileSync(path.join(root, LOCK_FILE), 'utf8');
  } catch {
    return { ...none, problem: `${LOCK_FILE} is missing` };
  }
  let locked: Lock;
  try {
    locked = JSON.parse(text) as Lock;
    if (typeof locked.files !== 'object' || locked.files === null) throw new Error('no files');
  } catch {
    return { ...none, problem: `${LOCK_FILE} is not a lock file`, lockDigest: digest(text) };
  }
  const actual = computeLock(root).files;
  const changed = Object.keys(locked.files).filter((f) => f in actual && actual[f] !== locked.files[f]);
  const added = Object.keys(actual).filter((f) => !(f in locked.files));
  const removed = Object.keys(locked.files).filter((f) => !(f in actual));
  return {
    valid: changed.length + added.length + removed.length === 0,
    changed: changed.sort(),
    added: added.sort(),
    removed: removed.sort(),
    lockDigest: digest(text),
  };
}

/** One sentence per difference, for reports. */
export function describeLock(check: LockCheck): string[] {
  return [
    ...(check.problem ? [check.problem] : []),
    ...check.changed.map((f) => `changed: ${f}`),
    ...check.added.map((f) => `added: ${f}`),
    ...check.removed.map((f) => `removed: ${f}`),
  ];
}

function walk(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...walk(root, relative));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}
