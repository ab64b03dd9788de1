/**
 * One data center's web server. Every data center runs the same code on its own database and Redis:
 *   GET  /health                 { dc, version }
 *   POST /v1/users { name }      201 { id, name }       GET /v1/users/:id    PUT /v1/users/:id { name }
 *   POST /v1/sessions { userId } 201, sets the `sid` cookie (log in)
 *   GET  /v1/me                  the session's user     DELETE /v1/sessions  204 (log out)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { getUser, migrate, readSession, type Store, writeSession, writeUser } from './change-log.js';

export interface WebServerOptions extends Store {
  /** The release this server runs, reported by /health (chapter task 4 deploys new ones). */
  version: string;
  sessionTtlSeconds?: number;
}

const name = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;
const id = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9a-f-]{36}$' } } } as const;

export async function createWebServer(options: WebServerOptions): Promise<Server> {
  await migrate(options.db);
  const ttlMs = (options.sessionTtlSeconds ?? 1800) * 1000;
  const app = Fastify({ ajv: { customOptions: { coerceTypes: false } } });
  await app.register(cookie);
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    reply.status(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: `no route ${request.method} ${request.url}` }),
  );

  app.get('/health', async () => ({ dc: options.id, version: options.version }));

  app.post<{ Body: { name: string } }>('/v1/users', { schema: { body: name } }, async (request, reply) => {
    reply.status(201);
    return writeUser(options, randomUUID(), request.body.name);
  });
  app.get<{ Params: { id: string } }>('/v1/users/:id', { schema: { params: id } }, async (request, reply) => {
    const user = await getUser(options.db, request.params.id);
    return user ?? reply.status(404).send({ error: `no user ${request.params.id} in ${options.id}` });
  });
  app.put<{ Params: { id: string }; Body: { name: string } }>(
    '/v1/users/:id',
    { schema: { params: id, body: name } },
    async (request, reply) => {
      if (!(await getUser(options.db, request.params.id)))
        return reply.status(404).send({ error: `no user ${request.params.id} in ${options.id}` });
      return writeUser(options, request.params.id, request.body.name);
    },
  );

  app.post<{ Body: { userId: string } }>(
    '/v1/sessions',
    {
      schema: { body: { type: 'object', required: ['userId'], properties: { userId: { type: 'string' } } } },
    },
    async (request, reply) => {
      const user = await getUser(options.db, request.body.userId);
      if (!user) return reply.status(404).send({ error: `no user ${request.body.userId}` });
      const sessionId = randomBytes(18).toString('base64url');
      await writeSession(options, sessionId, { userId: user.id, expiresAt: Date.now() + ttlMs });
      reply.setCookie('sid', sessionId, { httpOnly: true, sameSite: 'lax', path: '/' });
      return reply.status(201).send(user);
    },
  );
  app.get('/v1/me', async (request, reply) => {
    const sessionId = request.cookies.sid;
    const session = sessionId ? await readSession(options.redis, sessionId) : undefined;
    const user = session && (await getUser(options.db, session.userId));
    return user ?? reply.status(401).send({ error: 'not logged in' });
  });
  app.delete('/v1/sessions', async (request, reply) => {
    const sessionId = request.cookies.sid;
    if (sessionId) await writeSession(options, sessionId, null);
    reply.clearCookie('sid', { path: '/' });
    return reply.status(204).send();
  });

  await app.ready();
  return app.server;
}
