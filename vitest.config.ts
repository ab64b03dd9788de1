/**
 * One test set, two targets.
 * Each chapter's tests import the learner's code as `../src/…`. With KATA_TARGET=solutions the same
 * import is redirected to `solutions/<chapter>/src/…`, so the very same test files check the reference.
 * KATA_VARIANTS names a JSON file of further sources for a chapter's tests (the maintainers' checks: the
 * solution taken up to one task, a known-wrong design); each becomes a project of its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { type Chapter, chapters } from './chapters/manifest.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const solutions = process.env.KATA_TARGET === 'solutions';
if (solutions && !existsSync(`${root}solutions`)) {
  throw new Error(
    'KATA_TARGET=solutions, but this copy of the kata has no solutions/ folder: run against chapters/.',
  );
}

/**
 * Further sources of a chapter's tests (the maintainers' checks): each a folder with its own src/ and a copy
 * of the chapter's test/, so the copies' `../src/` imports reach it. A chapter's variants run as one project.
 */
interface Variant {
  chapter: string;
  tests: string[];
}
const variants: Variant[] = process.env.KATA_VARIANTS
  ? JSON.parse(readFileSync(process.env.KATA_VARIANTS, 'utf8'))
  : [];
/**
 * Test files of the variants run side by side: most of a test's time is waiting (a TTL, a lease, a health
 * check), so more files than cores keep the machine busy. vitest's default is one per core but one.
 */
const variantWorkers = Number(process.env.KATA_VARIANT_WORKERS ?? 3);

function project(
  chapter: Chapter,
  name: string,
  src: string | undefined,
  include: string[],
  setup: string[] = [],
  maxWorkers?: number,
) {
  return {
    extends: true as const,
    resolve: { alias: src ? [{ find: /^\.\.\/src\/(.*)$/, replacement: `${src}/$1` }] : [] },
    test: {
      name,
      include,
      setupFiles: [`${root}kit/setup.ts`, ...setup],
      ...(maxWorkers ? { maxWorkers } : {}),
      ...(chapter.testTimeoutMs
        ? { testTimeout: chapter.testTimeoutMs, hookTimeout: chapter.testTimeoutMs }
        : {}),
    },
  };
}

export default defineConfig({
  test: {
    testTimeout: 10_000,
    hookTimeout: 10_000,
    teardownTimeout: 5_000,
    projects: [
      { extends: true, test: { name: 'kit', include: ['kit/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'tooling', include: ['scripts/test/*.test.ts'] } },
      ...chapters.map((chapter) =>
        project(chapter, chapter.slug, solutions ? `${root}solutions/${chapter.slug}/src` : undefined, [
          `chapters/${chapter.slug}/test/**/*.test.ts`,
        ]),
      ),
      ...chapters
        .filter((chapter) => variants.some((v) => v.chapter === chapter.slug))
        .map((chapter) =>
          project(
            chapter,
            `${chapter.slug}~variants`,
            undefined,
            variants.filter((v) => v.chapter === chapter.slug).flatMap((v) => v.tests),
            [`${root}scripts/maintainer/lib/only-named.ts`],
            variantWorkers,
          ),
        ),
    ],
  },
});
