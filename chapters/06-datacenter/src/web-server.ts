/**
 * One data center's web server. Every data center runs the same code on its own database and Redis:
 *   GET  /health                 { dc, version }
 *   POST /v1/users { name }      201 { id, name }       GET /v1/users/:id    PUT /v1/users/:id { name }
 *   POST /v1/sessions { userId } 201, sets the `sid` cookie (log in)
 *   GET  /v1/me                  the session's user     DELETE /v1/sessions  204 (log out)
 */
import type { Server } from 'node:http';
import type { Store } from './change-log.js';

export interface WebServerOptions extends Store {
  /** The release this server runs, reported by /health (chapter task 4 deploys new ones). */
  version: string;
  sessionTtlSeconds?: number;
}

/** Builds the data center's web server (Fastify, like chapter 05) on its own database and Redis. */
export async function createWebServer(options: WebServerOptions): Promise<Server> {
  // TODO (README, task 3): the routes above, on top of change-log.ts. Ids must be unique in every data center.
  throw new Error('TODO (README, task 3): createWebServer');
}
