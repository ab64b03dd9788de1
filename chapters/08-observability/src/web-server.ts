/**
 * A web server of the photo service that can be watched. README: task 1 (and task 2: its metrics).
 *   POST /users   { name }           → 201 { id, name }     (a sign-up)
 *   POST /photos  { owner, title }   → 202 { id }            (an upload; the worker makes the thumbnail)
 *   GET  /photos/:id                 → { id, owner, title }  (cache-aside over Redis)
 *   GET  /health                     → { ok: true }
 *   GET  /metrics                    → the Prometheus text format
 */
import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Logger } from './logger.js';
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

/** The server, not listening yet: the caller decides where. */
export async function createWebServer(options: WebServerOptions): Promise<Server> {
  // TODO task 1: log every request with its X-Request-Id (or a new id); hand uploads to the worker with it.
  // Task 2 comes back here: when options.metrics is given, count requests, time them and every database
  //   query, count cache hits and misses, sign-ups, uploads and today's active users; serve GET /metrics.
  throw new Error(`TODO (README, task 1): web server ${options.id}`);
}
