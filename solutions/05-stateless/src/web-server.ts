/**
 * The stateless web tier: every server is the same, and none keeps anything between requests. Session
 * state lives in Redis, or in a signed token the client carries.
 *   POST /login  { user, password }   sets the session cookie           GET  /me   the session's user
 *   POST /logout                      ends the session                  GET  /health
 *   POST /api/token { user, password } a JWT                            GET  /api/me   (Authorization: Bearer)
 *   POST /api/logout                  revokes the token
 */
import type { Server } from 'node:http';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { createSessionStore } from './session-store.js';
import { createTokenService } from './tokens.js';

export interface WebServerOptions {
  /** This server's name, reported by /me and /api/me so that tests can see who answered. */
  serverId: string;
  redis: Redis;
  /** user → password. */
  users: Record<string, string>;
  jwtSecret: string;
  sessionTtlSeconds?: number;
  tokenTtlSeconds?: number;
}

export const SESSION_COOKIE = 'sid';

interface Credentials {
  user: string;
  password: string;
}

const credentials = {
  type: 'object',
  required: ['user', 'password'],
  properties: {
    user: { type: 'string', minLength: 1, maxLength: 100 },
    password: { type: 'string', maxLength: 200 },
  },
} as const;

export async function createWebServer(options: WebServerOptions): Promise<Server> {
  const sessions = createSessionStore(options.redis, options.sessionTtlSeconds ?? 1800);
  const tokens = createTokenService(options.redis, options.jwtSecret, options.tokenTtlSeconds ?? 900);
  const app = Fastify({ ajv: { customOptions: { coerceTypes: false } } });
  await app.register(cookie);
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    reply.status(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: `no route ${request.method} ${request.url}` }),
  );

  const unauthorized = (reply: FastifyReply, why: string) => reply.status(401).send({ error: why });
  const checkPassword = (user: string, password: string) =>
    Object.hasOwn(options.users, user) && options.users[user] === password;
  const sessionOf = async (request: FastifyRequest) => {
    const id = request.cookies[SESSION_COOKIE];
    return id ? sessions.touch(id) : undefined;
  };
  const bearer = (request: FastifyRequest) => /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];

  // Task 1: sessions in Redis. Nothing about a session stays in this process between requests.
  app.get('/health', async function health() {
    return { server: options.serverId };
  });

  app.post<{ Body: Credentials }>(
    '/login',
    { schema: { body: credentials } },
    async function login(request, reply) {
      const { user, password } = request.body;
      if (!checkPassword(user, password)) return unauthorized(reply, 'wrong user or password');
      // Always a new id: an id the browser brought (perhaps planted by someone else) is never kept.
      const id = await sessions.create(user);
      reply.setCookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/' });
      return { user, server: options.serverId };
    },
  );

  app.get('/me', async function me(request, reply) {
    const session = await sessionOf(request);
    if (!session) return unauthorized(reply, 'not logged in');
    return { user: session.user, server: options.serverId };
  });

  app.post('/logout', async function logout(request, reply) {
    const id = request.cookies[SESSION_COOKIE];
    if (id) await sessions.destroy(id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  // Task 3: tokens the client carries; Redis only keeps the revoked ones.
  app.post<{ Body: Credentials }>(
    '/api/token',
    { schema: { body: credentials } },
    async function apiToken(request, reply) {
      const { user, password } = request.body;
      if (!checkPassword(user, password)) return unauthorized(reply, 'wrong user or password');
      return { token: await tokens.issue(user) };
    },
  );

  app.get('/api/me', async function apiMe(request, reply) {
    const token = bearer(request);
    if (!token) return unauthorized(reply, 'missing bearer token');
    try {
      const { user } = await tokens.verify(token);
      return { user, server: options.serverId };
    } catch (error) {
      return unauthorized(reply, `invalid token: ${(error as Error).message}`);
    }
  });

  app.post('/api/logout', async function apiLogout(request, reply) {
    const token = bearer(request);
    if (!token) return unauthorized(reply, 'missing bearer token');
    try {
      await tokens.revoke(token);
    } catch (error) {
      return unauthorized(reply, `invalid token: ${(error as Error).message}`);
    }
    return reply.status(204).send();
  });

  await app.ready();
  return app.server;
}
