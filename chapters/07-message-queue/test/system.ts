/**
 * The photo API, its queue and workers on one Redis store, and what the tests do to them: upload, ask the
 * API, crash or freeze a worker, and use a queue directly as a worker would (reserve, complete, fail).
 */

import type { Redis } from 'ioredis';
import sharp from 'sharp';
import { onTestFinished } from 'vitest';
import { type RequestOptions, request, serve } from '#kit/http';
import { seededBytes } from '#kit/random';
import { createRedis, type RedisStore } from '#kit/redis';
import { step, until } from '#kit/wait';
import { createApi } from '../src/api.js';
import { createQueue, type JobInfo, type Queue, type QueueOptions } from '../src/queue.js';
import { startWorker, type Worker } from '../src/worker.js';

export type Settings = Omit<QueueOptions, 'redis'>;
const DEFAULTS: Settings = { visibilityTimeoutMs: 300, maxAttempts: 3, backoffMs: 20 };

export interface JobStatus {
  id: string;
  status: string;
  attempts: number;
  error?: string;
}

export interface Depth {
  ready: number;
  delayed: number;
  processing: number;
  dead: number;
}

/** What a process on its own connection can be made to suffer. */
export interface Connection {
  client: Redis;
  /** Its process dies: every command from now on is refused. */
  crash(): void;
  /** Its process stands still (a long pause, a partition): its commands wait until thaw(). */
  freeze(): void;
  thaw(): void;
}

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
  const connection = (): Connection => {
    const client = store.connect();
    return {
      client,
      crash: () => store.sever(client),
      freeze: () => store.freeze(client),
      thaw: () => store.thaw(client),
    };
  };

  const call = (path: string, options: RequestOptions = {}) => request(api.url + path, options);
  const status = async (id: string) => (await call(`/jobs/${id}`)).json<JobStatus>();
  return {
    store,
    config,
    call,
    status,
    /** Starts a worker on its own connection. */
    spawnWorker(): Connection & { worker: Worker } {
      const conn = connection();
      const worker = startWorker({
        queue: createQueue({ redis: conn.client, ...config }),
        redis: conn.client,
      });
      workers.push(worker);
      return { ...conn, worker };
    },
    /** A queue on its own connection, used directly as a worker would use it. */
    connectQueue(): Connection & { queue: Queue } {
      const conn = connection();
      return { ...conn, queue: createQueue({ redis: conn.client, ...config }) };
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
    /** Waits until every job is done or failed (asking the API), or fails with `message` after `ms`. */
    async settled(ids: string[], ms: number, message: string) {
      const states: string[] = ids.map(() => 'not asked yet');
      const final = (s: string) => s === 'done' || s === 'failed';
      // Asks again only about the jobs not seen done or failed yet.
      const allSettled = async () => {
        await Promise.all(
          ids.map(async (id, i) => {
            if (!final(states[i] ?? '')) states[i] = (await status(id)).status;
          }),
        );
        return states.every(final);
      };
      const scripts = scriptCost(store);
      await until(allSettled, ms, () => `${message} (${summary(states)})${scripts()}`, 15);
      return states;
    },
    /**
     * Waits until a worker holds the job (status processing, with at least `attempts` attempts). Resolves
     * true then; false when the job was done or failed before it was seen in processing (a worker too quick
     * to catch: the caller tries again with another job).
     */
    async inHand(id: string, attempts = 1) {
      let seen: JobStatus | undefined;
      const held = async () => {
        seen = await status(id);
        return (seen.status === 'processing' && seen.attempts >= attempts) || /done|failed/.test(seen.status);
      };
      await until(
        held,
        10_000,
        () =>
          `job ${id} was never seen in processing (last: ${JSON.stringify(seen)}): reserve() sets the status of the job it leases to processing`,
        1,
      );
      return seen?.status === 'processing';
    },
    /** Asks `queue` (maintain, then reserve) until it hands out a job, which it resolves with. */
    async reserveNext(queue: Queue, what: string, ms = 5_000): Promise<JobInfo> {
      let job: JobInfo | undefined;
      await until(
        async () => {
          await queue.maintain();
          job = await queue.reserve();
          return job !== undefined;
        },
        ms,
        what,
        10,
      );
      return job as JobInfo;
    },
    async album(owner = 'ana') {
      return (await call(`/albums/${owner}`)).json<{ photos: string[] }>().photos;
    },
    async depth() {
      return (await call('/queue')).json<Depth>();
    },
    async deadLetters() {
      return (await call('/dead-letters')).json<{
        jobs: { id: string; attempts: number; error?: string }[];
      }>().jobs;
    },
    /** Stops a worker and waits until it has finished the job in hand. */
    stopped(spawned: { worker: Worker }, what: string) {
      return step(what, spawned.worker.stop());
    },
  };
}

export type System = Awaited<ReturnType<typeof startSystem>>;

/** How many jobs are in each state, for messages. */
function summary(states: string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no answer yet';
}

/**
 * From now on, how much of the test's process the store's Lua scripts took; as a sentence for a failure
 * message when it is a large share of the time (on ioredis-mock each eval costs milliseconds of CPU).
 */
function scriptCost(store: RedisStore): () => string {
  const before = store.scripts();
  const started = performance.now();
  return () => {
    const { count, ms } = store.scripts();
    const [n, spent, elapsed] = [count - before.count, ms - before.ms, performance.now() - started];
    if (spent < 0.25 * elapsed) return '';
    return `. Meanwhile your code ran ${n} Lua scripts, which took ${spent.toFixed(0)} of these ${elapsed.toFixed(0)} ms: on ioredis-mock every eval costs the process 2–10 ms. Poll with plain commands (LLEN, ZRANGEBYSCORE … LIMIT 0 1) and run a script only when there is something to move`;
  };
}

/** A sentence on the stand-in's clock traps, for failures about leases and pauses on ioredis-mock. */
export function clockTraps(store: RedisStore): string {
  if (store.backend !== 'ioredis-mock') return '';
  return ' (If your scripts compute times: on ioredis-mock, Lua integers are 32 bits, so TIME × 1000 overflows, and TIME jumps by up to a second. Pass Date.now() to the script as an argument.)';
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

/** A job that keeps a worker busy for a while (a 3000 × 3000 picture to decode and resize: 0.1–0.4 s). */
export const SLOW_JOB = { image: () => large(3000, 3), ops: 'resize:100x100' };

/** The mean standard deviation of the pixel values over the channels: how "busy" an image is. */
export async function variance(png: Buffer): Promise<number> {
  const stats = await sharp(png).stats();
  return stats.channels.slice(0, 3).reduce((sum, c) => sum + c.stdev, 0) / 3;
}
