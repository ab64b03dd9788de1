/**
 * A web server of the photo service that can be watched: it logs every request with its request id, hands
 * uploads to the worker with that id, and counts what it does on `/metrics`.
 *   POST /users   { name }           → 201 { id, name }     (a sign-up)
 *   POST /photos  { owner, title }   → 202 { id }            (an upload; the worker makes the thumbnail)
 *   GET  /photos/:id                 → { id, owner, title }  (cache-aside over Redis)
 *   GET  /health                     → { ok: true }
 *   GET  /metrics                    → the Prometheus text format (task 2: when it is given its metrics)
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import Fastify, { type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { type Logger, REQUEST_ID_HEADER } from './logger.js';
import type { WebMetrics } from './metrics.js';
import type { Worker } from './worker.js';

export interface WebServerOptions {
  /** The server's name: `web-1` … It answers in an `X-Served-By` header. */
  id: string;
  logger: Logger;
  db: Pool;
  redis: Redis;
  worker: Worker;
  /** Task 2: the server's own metrics (`createWebMetrics(redis)`); without them it counts nothing. */
  metrics?: WebMetrics;
}

declare module 'fastify' {
  interface FastifyRequest {
    requestId: string;
    requestLog: Logger;
  }
}

export async function createWebServer({
  id,
  logger,
  db,
  redis,
  worker,
  metrics,
}: WebServerOptions): Promise<Server> {
  await migrate(db);
  const query = async <T>(sql: string, params: unknown[] = []) => {
    const end = metrics?.dbDuration.startTimer();
    try {
      return (await db.query(sql, params)).rows as T[];
    } finally {
      end?.();
    }
  };

  const app = Fastify({ logger: false, ajv: { customOptions: { coerceTypes: false } } });
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('requestId', '');
  app.decorateRequest('requestLog', null as unknown as Logger);
  app.addHook('onRequest', async (request, reply) => {
    const given = request.headers[REQUEST_ID_HEADER];
    request.requestId = typeof given === 'string' && given !== '' ? given : randomUUID();
    request.requestLog = logger.child({ requestId: request.requestId });
    reply.header(REQUEST_ID_HEADER, request.requestId).header('x-served-by', id);
    const user = request.headers['x-user-id'];
    if (metrics && typeof user === 'string' && user !== '') {
      await metrics
        .markActive(user)
        .catch((error: Error) => request.requestLog.warn({ err: error.message }, 'dau'));
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = routeOf(request);
    if (route === '/metrics') return;
    const status = reply.statusCode;
    metrics?.httpRequests.inc({ method: request.method, route, status: String(status) });
    // Seconds, as the metric's name says: elapsedTime is in milliseconds.
    metrics?.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    request.requestLog[status >= 500 ? 'error' : 'info'](
      { method: request.method, route, status, durationMs: Math.round(reply.elapsedTime) },
      'request completed',
    );
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.requestLog.error({ err: error.message }, 'request failed');
    reply.status(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: `no route ${request.method} ${request.url}` }),
  );

  const name = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' };
  app.post<{ Body: { name: string } }>(
    '/users',
    { schema: { body: { type: 'object', required: ['name'], properties: { name } } } },
    async (request, reply) => {
      const [user] = await query<{ id: number }>('INSERT INTO users (name) VALUES ($1) RETURNING id', [
        request.body.name,
      ]).catch((error: { code?: string }) => {
        if (error.code === '23505') throw Object.assign(new Error('that name is taken'), { statusCode: 409 });
        throw error;
      });
      metrics?.signups.inc();
      request.requestLog.info({ userId: user?.id }, 'user signed up');
      return reply.status(201).send({ id: user?.id, name: request.body.name });
    },
  );

  app.post<{ Body: { owner: string; title: string } }>(
    '/photos',
    {
      schema: {
        body: {
          type: 'object',
          required: ['owner', 'title'],
          properties: { owner: name, title: { type: 'string', minLength: 1, maxLength: 200 } },
        },
      },
    },
    async (request, reply) => {
      const [photo] = await query<{ id: number }>(
        'INSERT INTO photos (owner, title) VALUES ($1, $2) RETURNING id',
        [request.body.owner, request.body.title],
      );
      const photoId = photo?.id as number;
      metrics?.uploads.inc();
      request.requestLog.info({ photoId }, 'photo stored, thumbnail job handed to the worker');
      worker.submit({ photoId, requestId: request.requestId });
      return reply.status(202).send({ id: photoId });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/photos/:id',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } } },
      },
    },
    async (request, reply) => {
      const key = `photo:${request.params.id}`;
      const cached = await redis.get(key).catch(() => null);
      if (cached) {
        metrics?.cacheRequests.inc({ result: 'hit' });
        return reply.type('application/json').send(cached);
      }
      metrics?.cacheRequests.inc({ result: 'miss' });
      const [photo] = await query('SELECT id, owner, title FROM photos WHERE id = $1', [
        Number(request.params.id),
      ]);
      if (!photo) return reply.status(404).send({ error: `no photo ${request.params.id}` });
      await redis.set(key, JSON.stringify(photo), 'EX', 300).catch(() => undefined);
      return photo;
    },
  );

  app.get('/health', async () => ({ ok: true }));
  if (metrics) {
    app.get('/metrics', async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }

  await app.ready();
  return app.server;
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

async function migrate(db: Pool): Promise<void> {
  const { rows } = await db.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('users', 'photos')",
  );
  const have = new Set(rows.map((r: { table_name: string }) => r.table_name));
  if (!have.has('users'))
    await db.query('CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL UNIQUE)');
  if (!have.has('photos'))
    await db.query('CREATE TABLE photos (id serial PRIMARY KEY, owner text NOT NULL, title text NOT NULL)');
}
