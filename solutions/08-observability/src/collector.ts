/**
 * The central log collector: every process posts its JSON lines here; people query them in one place.
 *   POST /logs   body: NDJSON, one pino line per line  → 202 { accepted }  (400 if any line is malformed)
 *   GET  /logs?requestId=&service=&level=&from=&to=   → { lines: [...] } in time order
 */
import type { Server } from 'node:http';
import Fastify from 'fastify';

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

interface Query {
  requestId?: string;
  service?: string;
  level?: string;
  from?: string;
  to?: string;
}

export async function createCollector(): Promise<Server> {
  const lines: LogLine[] = [];
  const app = Fastify({ bodyLimit: 5 * 1024 * 1024 });
  app.addContentTypeParser(['application/x-ndjson', 'text/plain'], { parseAs: 'string' }, (_r, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    reply.status(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: `no route ${request.method} ${request.url}` }),
  );

  app.post('/logs', async (request, reply) => {
    if (typeof request.body !== 'string')
      return reply.status(415).send({ error: 'send NDJSON: content-type application/x-ndjson' });
    const batch: LogLine[] = [];
    const rows = request.body.split('\n');
    for (const [index, row] of rows.entries()) {
      if (row.trim() === '') continue;
      let line: unknown;
      try {
        line = JSON.parse(row);
      } catch {
        return reply.status(400).send({ error: `line ${index + 1} is not JSON` });
      }
      const problem = checkLine(line);
      if (problem) return reply.status(400).send({ error: `line ${index + 1}: ${problem}` });
      batch.push(line as LogLine);
    }
    lines.push(...batch);
    return reply.status(202).send({ accepted: batch.length });
  });

  app.get<{ Querystring: Query }>('/logs', async (request, reply) => {
    const { requestId, service, level, from, to } = request.query;
    const min = level === undefined ? 0 : LEVELS[level];
    if (min === undefined)
      return reply.status(400).send({ error: `level must be one of ${Object.keys(LEVELS).join(', ')}` });
    const start = from === undefined ? Number.NEGATIVE_INFINITY : toTime(from);
    const end = to === undefined ? Number.POSITIVE_INFINITY : toTime(to);
    if (Number.isNaN(start) || Number.isNaN(end))
      return reply.status(400).send({ error: 'from and to are times in epoch milliseconds' });
    if (start > end) return reply.status(400).send({ error: 'from must not be after to' });
    const found = lines.filter(
      (line) =>
        (requestId === undefined || line.requestId === requestId) &&
        (service === undefined || line.service === service) &&
        line.level >= min &&
        line.time >= start &&
        line.time <= end,
    );
    return { lines: found.sort((a, b) => a.time - b.time) };
  });

  await app.ready();
  return app.server;
}

function checkLine(line: unknown): string | undefined {
  if (typeof line !== 'object' || line === null || Array.isArray(line)) return 'a log line is a JSON object';
  const { level, time } = line as Record<string, unknown>;
  if (typeof level !== 'number' || !Number.isInteger(level)) return 'level must be a number (pino levels)';
  if (typeof time !== 'number' || !Number.isFinite(time)) return 'time must be epoch milliseconds';
  return undefined;
}

function toTime(text: string): number {
  return /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
}
