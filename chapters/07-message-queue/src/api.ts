/**
 * The photo API in front of the queue. README: tasks 1–3.
 *   POST /photos?ops=…&owner=…   body: the image (image/png or image/jpeg)  → 202 { jobId, status }
 *   GET  /jobs/:id                → { id, status, attempts, error? }
 *   GET  /jobs/:id/result         → the processed PNG (409 until done)
 *   GET  /albums/:owner           → { photos: [jobId, …] }: the owner's finished photos, each once
 *   GET  /queue                   → the depth: { ready, delayed, processing, dead }
 *   GET  /dead-letters            → { jobs: [{ id, attempts, error }] }
 */
import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { Queue } from './queue.js';

export interface ApiOptions {
  redis: Redis;
  queue: Queue;
}

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

export async function createApi(options: ApiOptions): Promise<Server> {
  throw new Error('TODO (README, tasks 1–3): the photo API');
}
