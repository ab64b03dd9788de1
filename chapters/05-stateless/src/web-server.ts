/**
 * The stateless web tier. README: tasks 1–3.
 *   POST /login  { user, password }   sets the session cookie           GET  /me   the session's user
 *   POST /logout                      ends the session                  GET  /health
 *   POST /api/token { user, password } a JWT                            GET  /api/me   (Authorization: Bearer)
 *   POST /api/logout                  revokes the token
 */
import type { Server } from 'node:http';
import type { Redis } from 'ioredis';

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

/** Builds the server (Fastify: register @fastify/cookie, the routes, `await app.ready()`, return `app.server`). */
export async function createWebServer(options: WebServerOptions): Promise<Server> {
  // TODO task 1: /login, /me, /logout with sessions in Redis (session-store.ts) and an HttpOnly, SameSite cookie.
  // TODO task 3: /api/token, /api/me, /api/logout with tokens.ts.
  throw new Error(`TODO (README, tasks 1–3): the stateless web server ${options.serverId}`);
}
