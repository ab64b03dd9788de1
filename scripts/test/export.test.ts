import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLock, lockedPaths, writeLock } from '../lib/lock.js';
import { exportKata, isExported, learnerPackage, learnerReadme } from '../maintainer/lib/export.js';
import { copyFixture } from './fixture.js';

const out = mkdtempSync(path.join(tmpdir(), 'kata-export-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the learner's copy", () => {
  it('leaves out the solutions and the maintainers tooling, and keeps what the learner runs', () => {
    for (const file of [
      'solutions/01-x/src/a.ts',
      'scripts/maintainer/verify.ts',
      'solutions/01-x/wrong/no-404.patch',
      '.ci/run',
      'CONTRIBUTING.md',
      'scripts/test/grade.test.ts',
    ])
      expect(isExported(file), file).toBe(false);
    for (const file of [
      'chapters/01-x/src/a.ts',
      'chapters/01-x/test/1.test.ts',
      'kit/db.ts',
      'scripts/grade.ts',
      'scripts/progress.ts',
    ])
      expect(isExported(file), file).toBe(true);
  });

  it('keeps only the package scripts whose files are in the copy', () => {
    const pkg = learnerPackage(
      {
        name: 'k',
        scripts: {
          start: 'tsx scripts/progress.ts',
          verify: 'tsx scripts/verify.ts',
          'test:solutions': 'tsx scripts/test.ts --solutions',
          test: 'tsx scripts/test.ts',
          typecheck: 'tsx scripts/typecheck.ts',
          lint: 'biome ci .',
        },
      },
      (file) => ['scripts/progress.ts', 'scripts/test.ts'].includes(file),
    );
    expect(pkg.scripts).toEqual({
      start: 'tsx scripts/progress.ts',
      test: 'tsx scripts/test.ts',
      typecheck: 'tsc -p .',
      lint: 'biome ci .',
    });
  });

  it('drops the maintainer-only blocks of the README', () => {
    const readme = 'A\n<!-- maintainer:start -->\nverify\n<!-- maintainer:end -->\nB\n';
    expect(learnerReadme(readme)).toBe('A\nB\n');
  });

  it("drops the maintainer-only blocks of every README in the copy, the chapters' and the Korean ones too", () => {
    const root = copyFixture();
    const readmes = ['chapters/01-passing/README.md', 'chapters/01-passing/README.ko.md'];
    for (const readme of readmes)
      writeFileSync(
        path.join(root, readme),
        'A\n<!-- maintainer:start -->\nnpm run verify\n<!-- maintainer:end -->\nB\n',
      );
    const dir = mkdtempSync(path.join(tmpdir(), 'kata-export-'));
    try {
      exportKata(root, readmes, dir);
      for (const readme of readmes) expect(readFileSync(path.join(dir, readme), 'utf8')).toBe('A\nB\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('copies the listed files, renames the classroom template, and the lock stays valid', () => {
    const root = copyFixture();
    writeLock(root);
    const files = [...lockedPaths(root), 'tests.lock.json', 'chapters/01-passing/src/add.ts'];
    const written = exportKata(root, [...files, 'solutions/01-passing/src/add.ts'], out);
    expect(written).toEqual([...files].sort());
    expect(existsSync(path.join(out, 'solutions'))).toBe(false);
    expect(checkLock(out)).toMatchObject({ valid: true });
    expect(readFileSync(path.join(out, 'chapters/01-passing/src/add.ts'), 'utf8')).toContain('a + b');
  });
});
