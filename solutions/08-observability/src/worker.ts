/**
 * A worker in the same process as the web server (chapter 07 built the real queue): the web server hands it
 * a job, and the worker's log lines carry the request id of the upload that caused the job.
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
  let chain: Promise<void> = Promise.resolve();
  return {
    submit(job) {
      const log = logger.child({ requestId: job.requestId });
      log.info({ photoId: job.photoId }, 'job received');
      chain = chain.then(async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        log.info({ photoId: job.photoId, size: '128x128' }, 'thumbnail made');
      });
    },
    idle: () => chain,
  };
}
