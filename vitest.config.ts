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
 * of the chapter's test/, so the copies' `../src/` imports reach it. A chapter's stages run as one project,
 * its wrong designs as another (scripts/maintainer/lib/variants.ts).
 */
interface Variant {
  chapter: string;
  kind: 'stages' | 'designs';
  tests: string[];
}
const variants: Variant[] = process.env.KATA_VARIANTS
  ? JSON.parse(readFileSync(process.env.KATA_VARIANTS, 'utf8'))
  : [];
/**
 * With variants (verify), every project of the run shares one pool of workers: most of a test's time is
 * waiting (a TTL, a lease, a health check), so more files than cores keep the machine busy. vitest's default
 * is one per core but one, and projects of one run must agree on it.
 */
const variantWorkers = variants.length > 0 ? Number(process.env.KATA_VARIANT_WORKERS ?? 4) : undefined;

function project(
  chapter: Chapter,
  name: string,
  src: string | undefined,
  include: string[],
  setup: string[] = [],
  isolate = true,
) {
  return {
    extends: true as const,
    resolve: { alias: src ? [{ find: /^\.\.\/src\/(.*)$/, replacement: `${src}/$1` }] : [] },
    test: {
      name,
      include,
      setupFiles: [`${root}kit/setup.ts`, ...setup],
      isolate,
      ...(chapter.testTimeoutMs
        ? { testTimeout: chapter.testTimeoutMs, hookTimeout: chapter.testTimeoutMs }
        : {}),
    },
  };
}

/**
 * The projects of a chapter's variants. A stage runs several test files on one src, each in a fresh module
 * graph as a learner's run does; a wrong design runs one test file on a src of its own, so its files may share
 * a worker's loaded libraries (isolate: false), which spares each the import of fastify, pg-mem and the rest.
 */
function variantProjects(chapter: Chapter) {
  const onlyNamed = `${root}scripts/maintainer/lib/only-named.ts`;
  return (['stages', 'designs'] as const).flatMap((kind) => {
    const tests = variants
      .filter((v) => v.chapter === chapter.slug && v.kind === kind)
      .flatMap((v) => v.tests);
    if (tests.length === 0) return [];
    return [project(chapter, `${chapter.slug}~${kind}`, undefined, tests, [onlyNamed], kind === 'stages')];
  });
}

export default defineConfig({
  test: {
    testTimeout: 10_000,
    hookTimeout: 10_000,
    teardownTimeout: 5_000,
    globalSetup: [`${root}kit/global-setup.ts`],
    ...(variantWorkers ? { maxWorkers: variantWorkers } : {}),
    projects: [
      { extends: true, test: { name: 'kit', include: ['kit/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'tooling', include: ['scripts/test/*.test.ts'] } },
      ...chapters.map((chapter) =>
        project(chapter, chapter.slug, solutions ? `${root}solutions/${chapter.slug}/src` : undefined, [
          `chapters/${chapter.slug}/test/**/*.test.ts`,
        ]),
      ),
      ...chapters.flatMap(variantProjects),
    ],
  },
});
