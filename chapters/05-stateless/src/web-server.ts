/**
 * The stateless web tier. Each route below says which task of the README writes it.
 *   POST /login  { user, password }   sets the session cookie           GET  /me   the session's user
 *   POST /logout                      ends the session                  GET  /health
 *   POST /api/token { user, password } a JWT                            GET  /api/me   (Authorization: Bearer)
 *   POST /api/logout                  revokes the token
 */
import type { Server } from 'node:http';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
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

/**
 * Builds the server. The skeleton uses Fastify with @fastify/cookie (`request.cookies`, `reply.setCookie`,
 * `reply.clearCookie`); any framework will do, as long as the routes answer as the README says.
 */
export async function createWebServer(options: WebServerOptions): Promise<Server> {
  const sessions = createSessionStore(options.redis, options.sessionTtlSeconds ?? 1800);
  const tokens = createTokenService(options.redis, options.jwtSecret, options.tokenTtlSeconds ?? 900);
  const app = Fastify();
  await app.register(cookie);

  // Task 1: sessions in Redis (session-store.ts), an HttpOnly, SameSite cookie named sid.
  app.get('/health', async function health() {
    throw new Error('TODO (README, task 1): GET /health');
  });
  app.post('/login', async function login(request, reply) {
    throw new Error(
      'TODO (README, task 1): POST /login: check the password, start a session, set the cookie',
    );
  });
  app.get('/me', async function me(request, reply) {
    throw new Error('TODO (README, task 1): GET /me: the user of the session in the cookie');
  });
  app.post('/logout', async function logout(request, reply) {
    throw new Error('TODO (README, task 1): POST /logout: end the session, clear the cookie');
  });

  // Task 3: tokens (tokens.ts).
  app.post('/api/token', async function apiToken(request, reply) {
    throw new Error('TODO (README, task 3): POST /api/token: a signed JWT for the right password');
  });
  app.get('/api/me', async function apiMe(request, reply) {
    throw new Error('TODO (README, task 3): GET /api/me: the user of a valid bearer token');
  });
  app.post('/api/logout', async function apiLogout(request, reply) {
    throw new Error('TODO (README, task 3): POST /api/logout: revoke the bearer token');
  });

  await app.ready();
  return app.server;
}
