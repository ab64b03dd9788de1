/**
 * The photo API in front of the queue. README: task 1 (the routes), task 2 (the dead letters), task 3
 * (bad input).
 *   POST /photos?ops=…&owner=…   body: the image (image/png or image/jpeg)  → 202 { jobId, status }
 *   GET  /jobs/:id                → { id, status, attempts, error? }
 *   GET  /jobs/:id/result         → the processed PNG (409 until done)
 *   GET  /albums/:owner           → { photos: [jobId, …] }: the owner's finished photos, each once
 *   GET  /queue                   → the depth: { ready, delayed, processing, dead }
 *   GET  /dead-letters            → { jobs: [{ id, attempts, error }] }
 * The server below is Fastify (any framework will do: the tests only speak HTTP to it).
 */
import type { Server } from 'node:http';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Queue } from './queue.js';

export interface ApiOptions {
  redis: Redis;
  queue: Queue;
}

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

export async function createApi(options: ApiOptions): Promise<Server> {
  // Task 3: a body limit (413), no body parsers but the images' (415), errors as JSON.
  const app = Fastify();
  app.addContentTypeParser(['image/png', 'image/jpeg'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  const routes = photoRoutes(options);
  app.post('/photos', routes.upload);
  app.get('/jobs/:id', routes.job);
  app.get('/jobs/:id/result', routes.result);
  app.get('/albums/:owner', routes.album);
  app.get('/queue', routes.depth);
  app.get('/dead-letters', routes.deadLetters);
  await app.ready();
  return app.server;
}

type Upload = FastifyRequest<{ Querystring: { ops?: string; owner?: string } }>;
type ById = FastifyRequest<{ Params: { id: string } }>;
type ByOwner = FastifyRequest<{ Params: { owner: string } }>;

/** One handler per route, on options.redis and options.queue. */
export function photoRoutes(options: ApiOptions) {
  return {
    async upload(request: Upload, reply: FastifyReply) {
      // Task 1: store the image, enqueue the job (ops, owner and where the image is), answer 202 with
      // Location at once. Task 3: refuse bad input first (400).
      throw new Error(`TODO (README, task 1): accept a photo to process with ${request.query.ops}`);
    },
    async job(request: ById, reply: FastifyReply) {
      throw new Error(`TODO (README, task 1): the status of job ${request.params.id}`);
    },
    async result(request: ById, reply: FastifyReply) {
      throw new Error(`TODO (README, task 1): the result of job ${request.params.id}`);
    },
    async album(request: ByOwner) {
      throw new Error(`TODO (README, task 1): the album of ${request.params.owner}`);
    },
    async depth() {
      throw new Error('TODO (README, task 1): the depth of the queue');
    },
    async deadLetters() {
      throw new Error('TODO (README, task 2): the dead letters, with attempts and error');
    },
  };
}
