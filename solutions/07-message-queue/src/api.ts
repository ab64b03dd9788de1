/**
 * The photo API in front of the queue: it accepts an image, stores it, enqueues the job and answers 202
 * at once; the work happens later, in the workers.
 *   POST /photos?ops=…&owner=…   body: the image (image/png or image/jpeg)  → 202 { jobId, status }
 *   GET  /jobs/:id                → { id, status, attempts, error? }
 *   GET  /jobs/:id/result         → the processed PNG (409 until done)
 *   GET  /albums/:owner           → { photos: [jobId, …] }: the owner's finished photos, each once
 *   GET  /queue                   → the depth: { ready, delayed, processing, dead }
 *   GET  /dead-letters            → { jobs: [{ id, attempts, error }] }: the jobs that failed for good
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { parseOperations } from './images.js';
import type { Queue } from './queue.js';

export interface ApiOptions {
  redis: Redis;
  queue: Queue;
}

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

export async function createApi(options: ApiOptions): Promise<Server> {
  const app = Fastify({ bodyLimit: MAX_UPLOAD_BYTES });
  // Images only: without the default parsers, any other body type is a 415.
  app.removeContentTypeParser(['text/plain', 'application/json']);
  app.addContentTypeParser(['image/png', 'image/jpeg'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    reply.status(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: `no route ${request.method} ${request.url}` }),
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

/** One handler per route. */
export function photoRoutes({ redis, queue }: ApiOptions) {
  return {
    async upload(request: Upload, reply: FastifyReply) {
      const problem = badUpload(request);
      if (problem) return reply.status(400).send({ error: problem });
      const { ops = '', owner = 'anonymous' } = request.query;
      // The image is stored before the job exists, so that no worker can take a job whose image is missing.
      const upload = randomUUID();
      await redis.set(`upload:${upload}`, request.body as Buffer);
      const jobId = await queue.enqueue({ ops, owner, upload });
      return reply.status(202).header('location', `/jobs/${jobId}`).send({ jobId, status: 'queued' });
    },
    async job(request: ById, reply: FastifyReply) {
      const job = await queue.info(request.params.id);
      if (!job) return reply.status(404).send({ error: `no job ${request.params.id}` });
      const { id, status, attempts, error } = job;
      return { id, status, attempts, ...(error ? { error } : {}) };
    },
    async result(request: ById, reply: FastifyReply) {
      const job = await queue.info(request.params.id);
      if (!job) return reply.status(404).send({ error: `no job ${request.params.id}` });
      if (job.status !== 'done')
        return reply.status(409).send({ error: `job ${job.id} is ${job.status}, not done` });
      return reply.type('image/png').send(await redis.getBuffer(`result:${job.id}`));
    },
    async album(request: ByOwner) {
      return { photos: await redis.lrange(`album:${request.params.owner}`, 0, -1) };
    },
    async depth() {
      return queue.depth();
    },
    async deadLetters() {
      const jobs = await queue.deadLetters();
      return { jobs: jobs.map(({ id, attempts, error }) => ({ id, attempts, error })) };
    },
  };
}

/** What is wrong with an upload, for a 400; undefined when it may be queued. (415 and 413: createApi.) */
function badUpload(request: Upload): string | undefined {
  const body = request.body;
  if (!Buffer.isBuffer(body) || body.length === 0)
    return 'send the image as the body, with content-type image/png or image/jpeg';
  try {
    parseOperations(request.query.ops ?? '');
  } catch (error) {
    return (error as Error).message;
  }
  const owner = request.query.owner ?? 'anonymous';
  if (!/^[a-z0-9_-]{1,40}$/i.test(owner)) return 'owner: 1–40 letters, digits, _ or -';
  return undefined;
}
