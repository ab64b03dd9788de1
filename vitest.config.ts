/**
 * One test set, two targets.
 * Each chapter's tests import the learner's code as `../src/…`. With KATA_TARGET=solutions the same
 * import is redirected to `solutions/<chapter>/src/…`, so the very same test files check the reference.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { chapters } from './chapters/manifest.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const solutions = process.env.KATA_TARGET === 'solutions';
if (solutions && !existsSync(`${root}solutions`)) {
  throw new Error(
    'KATA_TARGET=solutions, but this copy of the kata has no solutions/ folder: run against chapters/.',
  );
}

export default defineConfig({
  test: {
    testTimeout: 10_000,
    hookTimeout: 10_000,
    teardownTimeout: 5_000,
    projects: [
      { extends: true, test: { name: 'kit', include: ['kit/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'tooling', include: ['scripts/test/*.test.ts'] } },
      ...chapters.map((chapter) => ({
        extends: true as const,
        resolve: {
          alias: solutions
            ? [{ find: /^\.\.\/src\/(.*)$/, replacement: `${root}solutions/${chapter.slug}/src/$1` }]
            : [],
        },
        test: {
          name: chapter.slug,
          include: [`chapters/${chapter.slug}/test/**/*.test.ts`],
          ...(chapter.testTimeoutMs
            ? { testTimeout: chapter.testTimeoutMs, hookTimeout: chapter.testTimeoutMs }
            : {}),
        },
      })),
    ],
  },
});
