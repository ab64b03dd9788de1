/** A worker: takes jobs, processes the image, completes each job once in effect. README: task 1. */
import type { Redis } from 'ioredis';
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

export function startWorker(options: WorkerOptions): Worker {
  // Loop until stopped: maintain(), reserve(), process the upload, store the result, complete() with the
  // album entry as the effect; wait pollMs when idle. Task 2: fail() when processing throws.
  throw new Error(`TODO (README, task 1): a worker polling every ${options.pollMs ?? 20} ms`);
}
