/**
 * Variants: a chapter's tests run on another source than the skeleton or the solution — the solution taken
 * up to task k (stages.ts) or a known-wrong design (designs.ts). Each is written into
 * `.kata/variants/<chapter>/<name>/` (inside the kata, so that its imports find node_modules) and becomes a
 * vitest project of its own through KATA_VARIANTS (vitest.config.ts), so one vitest run checks them all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Chapter } from '../../../chapters/manifest.js';
import { type RunResult, runVitest } from '../../lib/vitest-run.js';
import { type WrongDesign, writeDesign, wrongDesigns } from './designs.js';
import { type Stub, stubsOf, testTasks, writeStage } from './stages.js';

export interface Variant {
  /** The vitest project: `01-single-server~stage-2`, `01-single-server~wrong-empty-list`. */
  name: string;
  chapter: string;
  src: string;
  /** Test files, relative to the kata. */
  tests: string[];
  /** The one test to run, by a part of its full name; the others are skipped. */
  only?: { test: string; setup: string };
}

export interface Stage {
  chapter: string;
  task: number;
  /** The test files of tasks 1..task. */
  files: string[];
  variant: Variant;
}

export interface DesignRun {
  design: WrongDesign;
  variant: Variant;
  /** The patch did not apply, or its header is incomplete. */
  problems: string[];
}

export interface ChapterVariants {
  chapter: Chapter;
  stubs: Stub[];
  stages: Stage[];
  designs: DesignRun[];
}

export function variantsDir(root: string): string {
  return path.join(root, '.kata', 'variants');
}

/** Writes every stage before the last task, and every wrong design, of the chapter. */
export function prepareVariants(root: string, chapter: Chapter): ChapterVariants {
  const slug = chapter.slug;
  const solution = path.join(root, 'solutions', slug, 'src');
  const stubs = stubsOf(path.join(root, 'chapters', slug, 'src'));
  const tasks = testTasks(path.join(root, 'chapters', slug, 'test'));
  const numbers = [...tasks.keys()].sort((a, b) => a - b);
  const testPath = (file: string) => `chapters/${slug}/test/${file}`;
  const stages: Stage[] = numbers.slice(0, -1).map((task) => {
    const files = numbers.filter((n) => n <= task).flatMap((n) => tasks.get(n) ?? []);
    const src = path.join(variantsDir(root), slug, `stage-${task}`);
    writeStage(solution, stubs, task, src);
    const variant = { name: `${slug}~stage-${task}`, chapter: slug, src, tests: files.map(testPath) };
    return { chapter: slug, task, files, variant };
  });
  const designs = wrongDesigns(root, slug).map((design) => {
    const src = path.join(variantsDir(root), slug, `wrong-${design.name}`);
    const problems = [...design.problems, ...writeDesign(solution, design, src)];
    const variant = {
      name: `${slug}~wrong-${design.name}`,
      chapter: slug,
      src,
      tests: [testPath(design.file)],
    };
    return { design, variant, problems };
  });
  return { chapter, stubs, stages, designs };
}

/** Runs the given variants in one vitest process. */
export async function runVariants(root: string, variants: Variant[]): Promise<RunResult> {
  if (variants.length === 0) return { tests: [], fileFailures: [], exitCode: 0, durationMs: 0, output: '' };
  mkdirSync(variantsDir(root), { recursive: true });
  const list = path.join(variantsDir(root), `variants-${process.pid}.json`);
  writeFileSync(list, JSON.stringify(variants, null, 2));
  return runVitest(
    'solutions',
    variants.map((v) => v.name),
    { root, env: { KATA_VARIANTS: list } },
  );
}
