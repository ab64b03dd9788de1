/**
 * A worker in the same process as the web servers (chapter 07 built the real queue): a web server hands
 * it a job, and the worker's log lines carry the request id of the upload that caused the job.
 * README: task 1.
 */
import type { Logger } from './logger.js';

export interface ThumbnailJob {
  photoId: number;
  /** The id of the request that uploaded the photo: the worker logs with it. */
  requestId: string;
}

export interface Worker {
  /** Accepts a job and returns at once; the work happens later. */
  submit(job: ThumbnailJob): void;
  /** Resolves when every job submitted so far is done. */
  idle(): Promise<void>;
}

export function createWorker({ logger }: { logger: Logger }): Worker {
  throw new Error('TODO (README, task 1): a worker that logs with the job’s request id');
}
