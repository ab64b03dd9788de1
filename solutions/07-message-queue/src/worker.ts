/**
 * A worker: it takes jobs from the queue, processes the image, and completes the job once in effect —
 * the result stored, and the photo added to its owner's album exactly once. It polls (no blocking pops).
 */
import type { Redis } from 'ioredis';
import { parseOperations, processImage } from './images.js';
import type { Queue } from './queue.js';

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
  const handle = async (id: string, fields: Record<string, string>) => {
    let output: Buffer;
    try {
      const input = await redis.getBuffer(`upload:${fields.upload}`);
      if (!input) throw new Error('the upload is missing');
      output = await processImage(input, parseOperations(fields.ops ?? ''));
    } catch (error) {
      await queue.fail(id, (error as Error).message);
      return;
    }
    // Storing the result twice is harmless (same key, same bytes); the album entry is applied once.
    await redis.set(`result:${id}`, output);
    await queue.complete(id, [['RPUSH', `album:${fields.owner ?? 'anonymous'}`, id]]);
  };

  let running = true;
  let maintained = 0;
  const loop = (async () => {
    while (running) {
      let worked = false;
      try {
        // Returning expired leases and due retries is cheap but not free: every other poll is enough.
        if (Date.now() - maintained >= 2 * pollMs) {
          maintained = Date.now();
          await queue.maintain();
        }
        const job = await queue.reserve();
        if (job) {
          worked = true;
          await handle(job.id, job.fields);
        }
      } catch {
        // Redis unreachable or similar: wait and try again; the lease protects the job meanwhile.
      }
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
