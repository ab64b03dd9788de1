/**
 * Runs vitest as a child process on one target (the learner's chapters or the reference solutions) and
 * returns every test's outcome, read from vitest's JSON report rather than from its text output.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from './paths.js';

export type Target = 'chapters' | 'solutions';
export type Status = 'passed' | 'failed' | 'skipped' | 'todo' | 'pending' | 'disabled';

export interface TestOutcome {
  /** The vitest project: a chapter slug, or `kit`. */
  project: string;
  file: string;
  /** Describe blocks and title, joined with " › ". */
  name: string;
  status: Status;
  /** The first line of the failure message, when the test failed. */
  message?: string;
  durationMs: number;
}

/** A test file that could not run at all (it failed to import, or a hook outside any test failed). */
export interface FileFailure {
  project: string;
  file: string;
  message: string;
}

export interface RunResult {
  tests: TestOutcome[];
  fileFailures: FileFailure[];
  exitCode: number;
  durationMs: number;
  /** vitest's own output, for when something went wrong before any report was written. */
  output: string;
}

interface JsonReport {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: {
      ancestorTitles: string[];
      title: string;
      status: Status;
      duration?: number | null;
      failureMessages?: string[];
    }[];
  }[];
}

export async function runVitest(
  target: Target,
  projects: string[],
  extraArgs: string[] = [],
): Promise<RunResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kata-vitest-'));
  const report = path.join(dir, 'report.json');
  const started = Date.now();
  const args = [
    path.join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--reporter=json',
    `--outputFile=${report}`,
    ...projects.flatMap((p) => ['--project', p]),
    ...extraArgs,
  ];
  const { code, output } = await run(process.execPath, args, { ...process.env, KATA_TARGET: target });
  try {
    const json = JSON.parse(await readFile(report, 'utf8')) as JsonReport;
    return { ...parse(json), exitCode: code, durationMs: Date.now() - started, output };
  } catch {
    return { tests: [], fileFailures: [], exitCode: code || 1, durationMs: Date.now() - started, output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function parse(json: JsonReport): Pick<RunResult, 'tests' | 'fileFailures'> {
  const tests: TestOutcome[] = [];
  const fileFailures: FileFailure[] = [];
  for (const file of json.testResults) {
    const relative = path.relative(root, file.name);
    const project = projectOf(relative);
    for (const t of file.assertionResults) {
      tests.push({
        project,
        file: relative,
        name: [...t.ancestorTitles, t.title].join(' › '),
        status: t.status,
        message: t.failureMessages?.[0]?.split('\n')[0],
        durationMs: Math.round(t.duration ?? 0),
      });
    }
    if (file.status === 'failed' && file.message) {
      fileFailures.push({ project, file: relative, message: file.message.split('\n')[0] ?? file.message });
    }
  }
  return { tests, fileFailures };
}

/** `chapters/01-single-server/test/x.test.ts` → `01-single-server`; `kit/test/…` → `kit`. */
function projectOf(relative: string): string {
  const [top, second] = relative.split(path.sep);
  return top === 'chapters' && second ? second : (top ?? 'unknown');
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
