/**
 * A private copy of the fixture kata (scripts/test/fixtures/kata) in a temporary folder, deleted after the test
 * file. The copy gets the real kit's deadlines (kit/wait.ts, kit/setup.ts), so its tests try them as they are.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { chapters } from './fixtures/kata/chapters/manifest.js';

export const fixtureChapters = chapters;
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const source = fileURLToPath(new URL('./fixtures/kata', import.meta.url));
const copies: string[] = [];

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

export function copyFixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kata-fixture-'));
  copies.push(dir);
  cpSync(source, dir, { recursive: true });
  for (const file of ['kit/wait.ts', 'kit/setup.ts'])
    copyFileSync(path.join(repoRoot, file), path.join(dir, file));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}
