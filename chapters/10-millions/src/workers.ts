/**
 * Workers take upload jobs from the queue (your chapter 07). The loop is the composition (task 1); what one
 * job does, and when it counts as done, is a policy (task 2).
 */
import type { UploadJob } from './config.js';
import type { Tiers } from './tiers.js';

export interface WorkerHandle {
  id: string;
  /** False once the worker was killed or stopped. */
  readonly alive: boolean;
  /** Dies at once, as a crashed process: the job in hand is abandoned, never completed. */
  kill(): void;
  /** Finishes the job in hand, then stops. */
  stop(): Promise<void>;
}

/**
 * Task 1: a worker polling the queue until it is stopped or killed: return expired leases now and then
 * (queue.maintain()), take the next job with processNextJob, wait a little when there was none or the
 * queue's store failed.
 */
export function startWorker(id: string, tiers: Tiers, work: (job: UploadJob) => Promise<void>): WorkerHandle {
  throw new Error(`TODO (README, task 1): worker ${id}`);
}

/**
 * Task 2: one job, done before it counts as done. Says whether there was a job. A worker killed mid-job
 * (`worker.killed()`) must not complete it.
 */
export async function processNextJob(
  tiers: Tiers,
  worker: { id: string; killed(): boolean },
  work: (job: UploadJob) => Promise<void>,
): Promise<boolean> {
  throw new Error(`TODO (README, task 2): ${worker.id} takes the next upload job`);
}
