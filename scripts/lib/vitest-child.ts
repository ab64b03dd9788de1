/**
 * The child process of vitest-run.ts: runs vitest through its Node API with KATA_TARGET set before the
 * config loads, and appends each event as one JSON line to the events file, so that a parent that stops
 * this process at a time limit still has every result reported until then.
 * Usage: node --import tsx vitest-child.ts '<json of ChildRequest>'
 */
import { appendFileSync } from 'node:fs';
import type { Target } from './test-outcome.js';
import { runInProcess } from './vitest-api.js';

export interface ChildRequest {
  root: string;
  target: Target;
  projects: string[];
  eventsFile: string;
}

const request = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
const write = (line: unknown) => appendFileSync(request.eventsFile, `${JSON.stringify(line)}\n`);
try {
  const result = await runInProcess({ ...request, onEvent: write });
  write({ kind: 'done', result });
} catch (error) {
  write({ kind: 'crash', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
// Learner code may leave servers or timers behind: the results are written, so leave without waiting.
process.exit(0);
