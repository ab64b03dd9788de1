/**
 * Setup file of a known-wrong design's run (vitest.config.ts adds it when a variant names one test): every
 * test but the one the design names is skipped, so that a design costs one test, not its whole file.
 */
import { beforeEach } from 'vitest';

const only = process.env.KATA_ONLY_TEST;

beforeEach((context) => {
  if (!only) return;
  const names = [context.task.name];
  for (let suite = context.task.suite; suite; suite = suite.suite) if (suite.name) names.unshift(suite.name);
  if (!names.join(' › ').includes(only)) context.skip();
});
