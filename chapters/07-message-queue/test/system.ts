/** The photo API, its queue and workers on one Redis store, and ways to upload, wait and crash workers. */

import sharp from 'sharp';
import { onTestFinished } from 'vitest';
import { type RequestOptions, request, serve } from '#kit/http';
import { seededBytes } from '#kit/random';
import { createRedis } from '#kit/redis';
import { until } from '#kit/wait';
import { createApi } from '../src/api.js';
import { createQueue, type QueueOptions } from '../src/queue.js';
import { startWorker, type Worker } from '../src/worker.js';

export type Settings = Omit<QueueOptions, 'redis'>;
const DEFAULTS: Settings = { visibilityTimeoutMs: 300, maxAttempts: 3, backoffMs: 20 };

export async function startSystem(settings: Partial<Settings> = {}) {
  const config = { ...DEFAULTS, ...settings };
  const store = createRedis();
  const api = await serve(
    await createApi({ redis: store.client, queue: createQueue({ redis: store.client, ...config }) }),
  );
  const workers: Worker[] = [];
  onTestFinished(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });

  const call = (path: string, options: RequestOptions = {}) => request(api.url + path, options);
  return {
    store,
    call,
    /** Starts a worker on its own connection; `crash()` cuts that connection, as if its process died. */
    spawnWorker() {
      const client = store.connect();
      const worker = startWorker({ queue: createQueue({ redis: client, ...config }), redis: client });
      workers.push(worker);
      return { worker, crash: () => store.sever(client) };
    },
    async upload(image: Buffer, ops: string, owner = 'ana') {
      const reply = await call(`/photos?ops=${encodeURIComponent(ops)}&owner=${owner}`, {
        method: 'POST',
        body: image,
        headers: { 'content-type': 'image/png' },
      });
      if (reply.status !== 202) throw new Error(`upload: expected 202, got ${reply.status} ${reply.text}`);
      return reply.json<{ jobId: string }>().jobId;
    },
    async status(id: string) {
      return (await call(`/jobs/${id}`)).json<{ status: string; attempts: number; error?: string }>();
    },
    /** Waits until every job is done or failed (asking the API), or fails with `message` after `ms`. */
    async settled(ids: string[], ms: number, message: string) {
      let states: string[] = [];
      const allSettled = async () => {
        states = await Promise.all(
          ids.map(async (id) => (await call(`/jobs/${id}`)).json<{ status: string }>().status),
        );
        return states.every((s) => s === 'done' || s === 'failed');
      };
      await until(allSettled, ms, message, 15);
      return states;
    },
    async album(owner = 'ana') {
      return (await call(`/albums/${owner}`)).json<{ photos: string[] }>().photos;
    },
  };
}

/** A PNG of seeded noise: every pixel random, so that blur and sharpen change it measurably. */
export function noise(width: number, height: number, seed = 1): Promise<Buffer> {
  const pixels = seededBytes(width * height * 3, seed);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A large picture that compresses well (flat colour, one noisy patch) but takes real work to process. */
export async function large(side: number, seed = 1): Promise<Buffer> {
  const patch = await noise(64, 64, seed);
  return sharp({ create: { width: side, height: side, channels: 3, background: '#88aacc' } })
    .composite([{ input: patch, left: 10, top: 10 }])
    .png()
    .toBuffer();
}

/** The mean standard deviation of the pixel values over the channels: how "busy" an image is. */
export async function variance(png: Buffer): Promise<number> {
  const stats = await sharp(png).stats();
  return stats.channels.slice(0, 3).reduce((sum, c) => sum + c.stdev, 0) / 3;
}
