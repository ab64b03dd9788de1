/**
 * Runs vitest in a child process on one target (the learner's chapters or the reference solutions) and
 * returns every test's outcome. The child drives vitest through its Node API (vitest-child.ts) and streams
 * results to a file; a run that outlives its time limit is stopped, and the tests that had not finished
 * count as failed. verify runs both targets at once this way; grade runs each chapter with a time limit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root as kataRoot } from './paths.js';
import {
  type FileFailure,
  inReadingOrder,
  type RunResult,
  type Target,
  type TestOutcome,
} from './test-outcome.js';
import type { RunEvent } from './vitest-api.js';
import type { ChildRequest } from './vitest-child.js';

export type { FileFailure, RunResult, Status, Target, TestOutcome } from './test-outcome.js';

export interface RunOptions {
  /** The kata to run (default: this one). */
  root?: string;
  /** Stop the run after this long; unfinished tests fail with a message that says so. */
  timeLimitMs?: number;
  /** More environment for the run (KATA_VARIANTS: the maintainers' further sources of a chapter). */
  env?: Record<string, string>;
}

type ChildEvent = RunEvent | { kind: 'done'; result: RunResult } | { kind: 'crash'; message: string };

const tools = path.join(kataRoot, 'scripts/lib');

export async function runVitest(
  target: Target,
  projects: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const root = options.root ?? kataRoot;
  const dir = mkdtempSync(path.join(tmpdir(), 'kata-vitest-'));
  const request: ChildRequest = { root, target, projects, eventsFile: path.join(dir, 'events.ndjson') };
  const started = Date.now();
  try {
    const { output, timedOut } = await runChild(request, root, options);
    return assemble(readEvents(request.eventsFile), {
      output,
      timedOut,
      durationMs: Date.now() - started,
      limitMs: options.timeLimitMs,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(
  request: ChildRequest,
  cwd: string,
  { timeLimitMs: limitMs, env = {} }: RunOptions,
): Promise<{ output: string; timedOut: boolean }> {
  const loader = pathToFileURL(path.join(kataRoot, 'node_modules/tsx/dist/loader.mjs')).href;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', loader, path.join(tools, 'vitest-child.ts'), JSON.stringify(request)],
      // Its own process group, so that a stop at the time limit also stops vitest's workers.
      {
        cwd,
        env: { ...process.env, ...env, KATA_TARGET: request.target },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      },
    );
    live.add(child.pid);
    stopOnSignals();
    let output = '';
    let timedOut = false;
    const collect = (chunk: Buffer) => {
      if (output.length < 200_000) output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer =
      limitMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stopGroup(child.pid);
          }, limitMs);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      live.delete(child.pid);
      stopGroup(child.pid); // workers left behind by a crash
      resolve({ output, timedOut });
    });
  });
}

/** The children running now: stopped with their workers when this process is interrupted. */
const live = new Set<number | undefined>();
let signalsHandled = false;

/** Ctrl-C (or a CI's stop) reaches this process, not the children in their own groups: stop them too. */
function stopOnSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pid of live) stopGroup(pid);
      process.exit(130);
    });
  }
}

/** Stops a child and every process it started: its process group, or on Windows its process tree. */
export function stopGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function readEvents(file: string): ChildEvent[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const events: ChildEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as ChildEvent);
    } catch {
      // a line cut off by a stop at the time limit
    }
  }
  return events;
}

function assemble(
  events: ChildEvent[],
  run: { output: string; timedOut: boolean; durationMs: number; limitMs: number | undefined },
): RunResult {
  const done = events.find((e) => e.kind === 'done');
  if (done)
    return { ...done.result, durationMs: run.durationMs, output: `${done.result.output}${run.output}` };
  const tests = new Map<string, TestOutcome>();
  const fileFailures: FileFailure[] = [];
  const planned: { project: string; file: string }[] = [];
  let crash = '';
  for (const event of events) {
    if (event.kind === 'planned') planned.push(event);
    else if (event.kind === 'collected' || event.kind === 'test')
      tests.set(`${event.test.file}\u0000${event.test.name}`, event.test);
    else if (event.kind === 'file-failure') fileFailures.push(event.failure);
    else if (event.kind === 'crash') crash = event.message;
  }
  const why = run.timedOut
    ? `did not finish within the time limit of ${Math.round((run.limitMs ?? 0) / 1000)} s`
    : `did not finish: the test run stopped (${crash.split('\n')[0] || 'no report'})`;
  const outcomes = [...tests.values()].map((t) =>
    t.status === 'pending' ? { ...t, status: 'failed' as const, message: why } : t,
  );
  // A file that never started (its worker was busy with a file that hung) has no tests to fail: report it
  // as a file that did not run, so that it still counts against the chapter instead of vanishing.
  for (const { project, file } of planned) {
    if (!outcomes.some((t) => t.file === file) && !fileFailures.some((f) => f.file === file))
      fileFailures.push({ project, file, message: `the test file ${why}` });
  }
  return {
    tests: inReadingOrder(outcomes),
    fileFailures,
    exitCode: 2,
    durationMs: run.durationMs,
    ...(run.timedOut ? { timedOut: true } : {}),
    output: [crash, run.output].filter(Boolean).join('\n'),
  };
}
