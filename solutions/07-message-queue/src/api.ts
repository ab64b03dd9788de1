/**
 * The photo API in front of the queue: it accepts an image, stores it, enqueues the job and answers 202
 * at once; the work happens later, in the workers.
 *   POST /photos?ops=…&owner=…   body: the image (image/png or image/jpeg)  → 202 { jobId, status }
 *   GET  /jobs/:id                → { id, status, attempts, error? }
 *   GET  /jobs/:id/result         → the processed PNG (409 until done)
 *   GET  /albums/:owner           → { photos: [jobId, …] }: the owner's finished photos, each once
 *   GET  /queue                   → the depth: { ready, delayed, processing, dead }
 *   GET  /dead-letters            → the jobs that failed for good
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import Fastify from 'fastify';
import type { Redis } from 'ioredis';
import { parseOperations } from './images.js';
import type { Queue } from './queue.js';

export interface ApiOptions {
  redis: Redis;
  queue: Queue;
}

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

export async function createApi({ redis, queue }: ApiOptions): Promise<Server> {
  const app = Fastify({ bodyLimit: MAX_UPLOAD_BYTES });
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

  app.post<{ Querystring: { ops?: string; owner?: string } }>('/photos', async (request, reply) => {
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      return reply
        .status(400)
        .send({ error: 'send the image as the body, with content-type image/png or image/jpeg' });
    }
    const ops = request.query.ops ?? '';
    try {
      parseOperations(ops);
    } catch (error) {
      return reply.status(400).send({ error: (error as Error).message });
    }
    const owner = request.query.owner ?? 'anonymous';
    if (!/^[a-z0-9_-]{1,40}$/i.test(owner))
      return reply.status(400).send({ error: 'owner: 1–40 letters, digits, _ or -' });
    // The image is stored before the job exists, so that no worker can take a job whose image is missing.
    const upload = randomUUID();
    await redis.set(`upload:${upload}`, body);
    const jobId = await queue.enqueue({ ops, owner, upload });
    return reply.status(202).header('location', `/jobs/${jobId}`).send({ jobId, status: 'queued' });
  });

  app.get<{ Params: { id: string } }>('/jobs/:id', async (request, reply) => {
    const job = await queue.info(request.params.id);
    if (!job) return reply.status(404).send({ error: `no job ${request.params.id}` });
    return {
      id: job.id,
      status: job.status,
      attempts: job.attempts,
      ...(job.error ? { error: job.error } : {}),
    };
  });

  app.get<{ Params: { id: string } }>('/jobs/:id/result', async (request, reply) => {
    const job = await queue.info(request.params.id);
    if (!job) return reply.status(404).send({ error: `no job ${request.params.id}` });
    if (job.status !== 'done')
      return reply.status(409).send({ error: `job ${job.id} is ${job.status}, not done` });
    const result = await redis.getBuffer(`result:${job.id}`);
    return reply.type('image/png').send(result);
  });

  app.get<{ Params: { owner: string } }>('/albums/:owner', async (request) => ({
    photos: await redis.lrange(`album:${request.params.owner}`, 0, -1),
  }));
  app.get('/queue', () => queue.depth());
  app.get('/dead-letters', async () => ({
    jobs: (await queue.deadLetters()).map((j) => ({ id: j.id, attempts: j.attempts, error: j.error })),
  }));

  await app.ready();
  return app.server;
}
