/**
 * Variants: a chapter's tests run on another source than the skeleton or the solution — the solution taken
 * up to task k (stages.ts) or a known-wrong design (designs.ts). Each is written into
 * `.kata/variants/<chapter>/<name>/<chapter>/` (inside the kata, so that its imports find node_modules): its `src/`,
 * and a copy of the chapter's `test/` beside it, whose `../src/` imports reach that src. KATA_VARIANTS
 * (vitest.config.ts) gathers a chapter's stages into one vitest project and its wrong designs into another,
 * so one run checks them all without a project (and its module graph) per variant.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Chapter } from '../../../chapters/manifest.js';
import { type RunResult, runVitest } from '../../lib/vitest-run.js';
import { type WrongDesign, writeDesign, wrongDesigns } from './designs.js';
import { type Stub, stubsOf, testTasks, writeStage } from './stages.js';

export interface Variant {
  /** `stage-2`, `wrong-empty-list`. */
  name: string;
  /**
   * A stage runs several test files on one src, each in a fresh module graph as a learner's run does. A wrong
   * design runs one test file on a src of its own, so its files share a worker's loaded libraries.
   */
  kind: VariantKind;
  chapter: string;
  /** The variant's folder, relative to the kata with `/`: its src/ and test/ are there. */
  dir: string;
  /** Test files, relative to the kata. */
  tests: string[];
  /** The one test to run, by a part of its full name (only.txt in the folder); the others are skipped. */
  only?: string;
}

export type VariantKind = 'stages' | 'designs';

/** The vitest project that runs a chapter's variants of one kind (vitest.config.ts names it the same way). */
export function variantsProject(slug: string, kind: VariantKind): string {
  return `${slug}~${kind}`;
}

/** The outcomes of a run that belong to one variant (its test files live in its folder). */
export function inVariant<T extends { file: string }>(items: T[], variant: Variant): T[] {
  return items.filter((item) => item.file.startsWith(`${variant.dir}/`));
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

/**
 * A variant's folder: `.kata/variants/<chapter>/<name>/<chapter>/`, beside links to the other chapters'
 * solutions, so that code that imports another chapter's (`../../05-stateless/src/…`, as chapter 10 does)
 * finds the reference there.
 */
function variantDir(root: string, slug: string, name: string): string {
  const base = path.join(variantsDir(root), slug, name);
  mkdirSync(base, { recursive: true });
  const solutions = path.join(root, 'solutions');
  for (const other of existsSync(solutions) ? readdirSync(solutions) : []) {
    const link = path.join(base, other);
    if (other === slug || existsSync(link)) continue;
    symlinkSync(path.join(solutions, other), link, 'junction');
  }
  return path.join(base, slug);
}

/** Writes every stage before the last task, and every wrong design, of the chapter. */
export function prepareVariants(root: string, chapter: Chapter): ChapterVariants {
  const slug = chapter.slug;
  const solution = path.join(root, 'solutions', slug, 'src');
  const stubs = stubsOf(path.join(root, 'chapters', slug, 'src'));
  const tasks = testTasks(path.join(root, 'chapters', slug, 'test'));
  const numbers = [...tasks.keys()].sort((a, b) => a - b);
  const tests = path.join(root, 'chapters', slug, 'test');
  rmSync(path.join(variantsDir(root), slug), { recursive: true, force: true });
  const folder = (name: string) => {
    const dir = variantDir(root, slug, name);
    cpSync(tests, path.join(dir, 'test'), { recursive: true });
    return { dir, rel: path.relative(root, dir).split(path.sep).join('/') };
  };
  const stages: Stage[] = numbers.slice(0, -1).map((task) => {
    const files = numbers.filter((n) => n <= task).flatMap((n) => tasks.get(n) ?? []);
    const name = `stage-${task}`;
    writeStage(solution, stubs, task, path.join(variantDir(root, slug, name), 'src'));
    const { rel } = folder(name);
    const tests = files.map((f) => `${rel}/test/${f}`);
    const variant: Variant = { name, kind: 'stages', chapter: slug, dir: rel, tests };
    return { chapter: slug, task, files, variant };
  });
  const designs = wrongDesigns(root, slug).map((design) => {
    const name = `wrong-${design.name}`;
    const problems = [
      ...design.problems,
      ...writeDesign(solution, design, path.join(variantDir(root, slug, name), 'src')),
    ];
    const { dir, rel } = folder(name);
    writeFileSync(path.join(dir, 'only.txt'), design.test);
    const variant: Variant = {
      name,
      kind: 'designs',
      chapter: slug,
      dir: rel,
      tests: [`${rel}/test/${design.file}`],
      only: design.test,
    };
    return { design, variant, problems };
  });
  return { chapter, stubs, stages, designs };
}

/**
 * Runs the given variants in one vitest process, with further projects of the solutions target (the
 * chapters' own, `kit`) in the same pool of workers, so that no core waits for another run to end.
 */
export async function runVariants(
  root: string,
  variants: Variant[],
  alongside: string[] = [],
): Promise<RunResult> {
  const projects = [...new Set(variants.map((v) => variantsProject(v.chapter, v.kind)))];
  if (projects.length + alongside.length === 0)
    return { tests: [], fileFailures: [], exitCode: 0, durationMs: 0, output: '' };
  mkdirSync(variantsDir(root), { recursive: true });
  const list = path.join(variantsDir(root), `variants-${process.pid}.json`);
  writeFileSync(list, JSON.stringify(variants, null, 2));
  return runVitest('solutions', [...alongside, ...projects], { root, env: { KATA_VARIANTS: list } });
}
