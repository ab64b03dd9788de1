/**
 * A worker: it takes jobs from the queue, processes the image, and completes the job once in effect —
 * the result stored, and the photo added to its owner's album exactly once. It polls (no blocking pops).
 */
import type { Redis } from 'ioredis';
import { parseOperations, processImage } from './images.js';
import type { JobInfo, Queue } from './queue.js';

export interface WorkerOptions {
  queue: Queue;
  redis: Redis;
  /** How long to wait before asking again when the queue is empty. Default 20 ms. */
  pollMs?: number;
}

export interface Worker {
  /** Finishes the job in hand, then stops. */
  stop(): Promise<void>;
}

export function startWorker({ queue, redis, pollMs = 20 }: WorkerOptions): Worker {
  let running = true;
  let maintained = 0;
  /** One turn of the loop: returns whether it did a job (then the next turn comes at once). */
  const turn = async () => {
    // Returning expired leases and due retries: every other poll is prompt enough.
    if (Date.now() - maintained >= 2 * pollMs) {
      maintained = Date.now();
      await queue.maintain();
    }
    const job = await queue.reserve();
    if (job) await work(queue, redis, job);
    return job !== undefined;
  };
  const loop = (async () => {
    while (running) {
      // Redis unreachable or similar: wait and try again; the lease protects a job in hand meanwhile.
      const worked = await turn().catch(() => false);
      if (!worked && running) await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Processes one leased job: the result, then the completion with the album entry as its effect. */
async function work(queue: Queue, redis: Redis, job: JobInfo): Promise<void> {
  let output: Buffer;
  try {
    const input = await redis.getBuffer(`upload:${job.fields.upload}`);
    if (!input) throw new Error('the upload is missing');
    output = await processImage(input, parseOperations(job.fields.ops ?? ''));
  } catch (error) {
    await queue.fail(job.id, (error as Error).message);
    return;
  }
  // Storing the result twice is harmless (same key, same bytes); the album entry is applied once.
  await redis.set(`result:${job.id}`, output);
  await queue.complete(job.id, [['RPUSH', `album:${job.fields.owner ?? 'anonymous'}`, job.id]]);
}
