/**
 * The web tier: one HTTP server for the book's two clients.
 * - `www.<domain>`: HTML pages for the browser (pages.ts).
 * - `api.<domain>`: a JSON API for the mobile app (api.ts).
 * Every error is a JSON `{ "error": "…" }` with a 4xx status; a 500 only for a real fault.
 */
import type { Server } from 'node:http';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { registerApi } from './api.js';
import { migrate } from './migrations.js';
import { registerPages } from './pages.js';

export interface WebServerOptions {
  /** The database. The server applies its migrations at start and never closes the pool. */
  pool: Pool;
}

/** Request bodies larger than this get a 413. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Builds the server and applies migrations; the caller decides where it listens. */
export async function createWebServer({ pool }: WebServerOptions): Promise<Server> {
  await migrate(pool);
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify's validator converts 42 to "42" by default; a wrong type must be an error instead.
    ajv: { customOptions: { coerceTypes: false } },
  });
  // The API speaks JSON only: a text/plain body is a 415, not a string handed to the routes.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error(error);
    reply.status(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) => {
    if (site(request) === 'www') return reply.status(404).type('text/html').send('<h1>Not found</h1>');
    const error = site(request)
      ? `no route for ${request.method} ${request.url}`
      : 'unknown host: use www. or api.';
    return reply.status(404).send({ error });
  });
  registerApi(app, pool);
  registerPages(app, pool);
  await app.ready();
  return app.server;
}

/** Which site a request is for, from the first label of its Host header. */
function site(request: FastifyRequest): 'www' | 'api' | undefined {
  const label = request.hostname.split('.')[0]?.toLowerCase();
  return label === 'www' || label === 'api' ? label : undefined;
}
