/**
 * Drives vitest in this process through its Node API (`vitest/node`) and turns its test cases into
 * `TestOutcome`s. `KATA_TARGET` is read by vitest.config.ts when the config loads, so it is set before each
 * instance is created; to run the other target, create another instance (or another process: vitest-run.ts).
 */
import path from 'node:path';
import { createVitest, type Reporter, type TestCase, type TestModule } from 'vitest/node';
import type { FileFailure, RunResult, Target, TestOutcome } from './test-outcome.js';
import { inReadingOrder } from './test-outcome.js';

export type RunEvent =
  | { kind: 'planned'; project: string; file: string }
  | { kind: 'collected'; test: TestOutcome }
  | { kind: 'test'; test: TestOutcome }
  | { kind: 'file-failure'; failure: FileFailure };

export interface VitestOptions {
  /** The kata's root: where vitest.config.ts is. */
  root: string;
  target: Target;
  /** The vitest projects this instance knows (chapter slugs, `kit`, `tooling`). */
  projects: string[];
  /**
   * Each test file as the run starts, each test as it is collected (status `pending`) and as it finishes;
   * each file that could not run.
   */
  onEvent?: (event: RunEvent) => void;
}

export interface KataVitest {
  /** Runs the named projects (all of this instance's projects by default) once. */
  run(projects?: string[]): Promise<RunResult>;
  /** Forgets what vitest knows of a changed source file, so that the next run reads it again. */
  invalidate(file: string): void;
  close(): Promise<void>;
}

const MESSAGE_LIMIT = 600;

export async function openVitest(options: VitestOptions): Promise<KataVitest> {
  const { root, projects, onEvent = () => {} } = options;
  process.env.KATA_TARGET = options.target;
  const reporter: Reporter = {
    onTestRunStart(specifications) {
      for (const spec of specifications)
        onEvent({ kind: 'planned', project: spec.project.name, file: relative(root, spec.moduleId) });
    },
    onTestModuleCollected(module) {
      for (const test of module.children.allTests())
        onEvent({ kind: 'collected', test: outcomeOf(test, root) });
    },
    onTestCaseResult(test) {
      onEvent({ kind: 'test', test: outcomeOf(test, root) });
    },
    onTestModuleEnd(module) {
      const failure = fileFailureOf(module, root);
      if (failure) onEvent({ kind: 'file-failure', failure });
    },
  };
  const exitCode = process.exitCode;
  const vitest = await createVitest('test', {
    root,
    config: path.join(root, 'vitest.config.ts'),
    watch: false,
    project: projects,
    reporters: [reporter],
    passWithNoTests: true,
  });
  return {
    async run(only = projects) {
      const started = Date.now();
      const specs = (await vitest.globTestSpecifications()).filter((s) => only.includes(s.project.name));
      const result = await vitest.runTestSpecifications(specs, true);
      process.exitCode = exitCode;
      const tests: TestOutcome[] = [];
      const fileFailures: FileFailure[] = [];
      for (const module of result.testModules) {
        for (const test of module.children.allTests()) tests.push(outcomeOf(test, root));
        const failure = fileFailureOf(module, root);
        if (failure) fileFailures.push(failure);
      }
      const failed = fileFailures.length > 0 || tests.some((t) => t.status === 'failed');
      return {
        tests: inReadingOrder(tests),
        fileFailures,
        exitCode: result.unhandledErrors.length > 0 ? 2 : failed ? 1 : 0,
        durationMs: Date.now() - started,
        output: result.unhandledErrors.map((e) => `unhandled error: ${messageOf(e)}`).join('\n'),
      };
    },
    invalidate(file) {
      // vite keys its module graph by `/` paths, on Windows too (C:/…).
      vitest.invalidateFile(file.split(path.sep).join('/'));
    },
    async close() {
      await vitest.close();
      process.exitCode = exitCode;
    },
  };
}

/** One run of some projects in a fresh instance, closed afterwards. */
export async function runInProcess(options: VitestOptions): Promise<RunResult> {
  const vitest = await openVitest(options);
  try {
    return await vitest.run();
  } finally {
    await vitest.close();
  }
}

export function outcomeOf(test: TestCase, root: string): TestOutcome {
  const names = [test.name];
  for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) names.unshift(parent.name);
  const result = test.result();
  const error = result.state === 'failed' ? result.errors[0] : undefined;
  return {
    project: test.project.name,
    file: relative(root, test.module.moduleId),
    name: names.join(' › '),
    status: result.state,
    ...(result.state === 'failed' ? { message: clip(error?.message ?? 'failed without a message') } : {}),
    durationMs: Math.round(test.diagnostic()?.duration ?? 0),
    order: [...test.module.children.allTests()].findIndex((t) => t.id === test.id),
  };
}

function fileFailureOf(module: TestModule, root: string): FileFailure | undefined {
  const [error] = module.errors();
  if (!error) return undefined;
  return {
    project: module.project.name,
    file: relative(root, module.moduleId),
    message: clip(error.message),
  };
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function clip(message: string): string {
  const text = message.trim();
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
