/**
 * Setup file of the maintainers' variant runs (vitest.config.ts): a known-wrong design's folder holds
 * only.txt, the part of the name of the one test it must fail; every other test of its files is skipped, so
 * that a design costs one test, not its whole file. Stages have no only.txt and run every test.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach } from 'vitest';

const named = new Map<string, string | undefined>();

function onlyFor(testFile: string): string | undefined {
  const folder = path.dirname(path.dirname(testFile));
  if (!named.has(folder)) {
    const file = path.join(folder, 'only.txt');
    named.set(folder, existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  }
  return named.get(folder);
}

beforeEach((context) => {
  const only = onlyFor(context.task.file.filepath);
  if (!only) return;
  const names = [context.task.name];
  for (let suite = context.task.suite; suite; suite = suite.suite) if (suite.name) names.unshift(suite.name);
  if (!names.join(' › ').includes(only)) context.skip();
});
