import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkLock,
  computeLock,
  describeLock,
  digest,
  LOCK_FILE,
  lockedPaths,
  writeLock,
} from '../lib/lock.js';
import { copyFixture } from './fixture.js';

describe('tests.lock.json', () => {
  it('locks the tests, the kit, the manifest and the vitest config, sorted with / separators', () => {
    const root = copyFixture();
    expect(lockedPaths(root)).toEqual([
      'chapters/01-passing/test/1-add.test.ts',
      'chapters/02-failing/test/1-greet.test.ts',
      'chapters/03-hanging/test/1-spin.test.ts',
      'chapters/04-stuck/test/1-drain.test.ts',
      'chapters/manifest.ts',
      'kit/expect.ts',
      'kit/setup.ts',
      'kit/wait.ts',
      'vitest.config.ts',
    ]);
    expect(Object.keys(computeLock(root).files)).not.toContain('chapters/01-passing/src/add.ts');
  });

  it('is deterministic, and a checkout with CRLF line endings still matches', () => {
    const root = copyFixture();
    const first = writeLock(root);
    const text = readFileSync(path.join(root, LOCK_FILE), 'utf8');
    writeLock(root);
    expect(readFileSync(path.join(root, LOCK_FILE), 'utf8')).toBe(text);
    expect(Object.keys(first.files)).toEqual(lockedPaths(root));
    expect(digest('a\r\nb\r\n')).toBe(digest('a\nb\n'));
    const test = path.join(root, 'chapters/01-passing/test/1-add.test.ts');
    writeFileSync(test, readFileSync(test, 'utf8').replace(/\n/g, '\r\n'));
    expect(checkLock(root).valid).toBe(true);
  });

  it('names each test or kit file that was changed, added or removed', () => {
    const root = copyFixture();
    writeLock(root);
    expect(checkLock(root)).toMatchObject({ valid: true, changed: [], added: [], removed: [] });
    appendFileSync(path.join(root, 'chapters/02-failing/test/1-greet.test.ts'), '\n// it.skip everything\n');
    writeFileSync(path.join(root, 'kit/extra.ts'), 'export {};\n');
    rmSync(path.join(root, 'chapters/03-hanging/test/1-spin.test.ts'));
    writeFileSync(path.join(root, 'chapters/01-passing/src/add.ts'), 'export const add = () => 5;\n');
    const check = checkLock(root);
    expect(check.valid).toBe(false);
    expect(describeLock(check)).toEqual([
      'changed: chapters/02-failing/test/1-greet.test.ts',
      'added: kit/extra.ts',
      'removed: chapters/03-hanging/test/1-spin.test.ts',
    ]);
  });

  it('is invalid without a lock file, and says so', () => {
    const root = copyFixture();
    expect(checkLock(root)).toMatchObject({ valid: false, problem: 'tests.lock.json is missing' });
  });
});
