/**
 * The central log collector: every process posts its JSON lines here; people query them in one place.
 * README: task 1.
 *   POST /logs   body: NDJSON, one pino line per line  → 202 { accepted }  (400 if a line is malformed)
 *   GET  /logs?requestId=&service=&level=&from=&to=   → { lines: [...] } in time order
 */
import type { Server } from 'node:http';

/** pino's level names and numbers. */
export const LEVELS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

export interface LogLine {
  level: number;
  time: number;
  msg?: string;
  service?: string;
  requestId?: string;
  [field: string]: unknown;
}

/** The collector's HTTP server, not listening yet: the caller decides where. */
export async function createCollector(): Promise<Server> {
  throw new Error('TODO (README, task 1): POST /logs and GET /logs');
}
