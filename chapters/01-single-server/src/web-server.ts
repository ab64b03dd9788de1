/**
 * The web tier: one HTTP server for the book's two clients. README: task 3.
 * - `www.<domain>`: HTML pages for the browser.
 * - `api.<domain>`: a JSON API for the mobile app.
 * Every client error is a JSON `{ "error": "…" }` with a 4xx status.
 */
import type { Server } from 'node:http';
import type { Pool } from 'pg';

export interface WebServerOptions {
  /** The database. The server applies its migrations at start and never closes the pool. */
  pool: Pool;
}

/** Request bodies larger than this get a 413. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Builds the server and applies migrations; the caller decides where it listens (`server.listen(...)`).
 * With Fastify: build the app, register the routes, `await app.ready()` and return `app.server`.
 */
export async function createWebServer({ pool }: WebServerOptions): Promise<Server> {
  // TODO: await migrate(pool) — see migrations.ts.
  // TODO: api host  — POST /v1/users, GET /v1/users/:id, POST and GET /v1/users/:id/photos (JSON).
  // TODO: www host  — GET / and GET /users/:id (HTML, every value escaped).
  // TODO: errors    — 400 bad input, 404 unknown, 409 duplicate email, 413 too large, 415 not JSON.
  throw new Error('TODO (README, task 3): build the web server on the database');
}
