/**
 * Workers take upload jobs from the queue (chapter 07). The loop is the composition (task 1); what one job
 * does, and when it counts as done, is a policy (task 2).
 */
import type { UploadJob } from './config.js';
import { albumEntry } from './keys.js';
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

/** How long an idle worker waits before asking the queue again, and how often it returns expired leases. */
const POLL_MS = 25;
const MAINTAIN_MS = 100;

/** Task 1: a worker polling the queue until it is stopped or killed. */
export function startWorker(id: string, tiers: Tiers, work: (job: UploadJob) => Promise<void>): WorkerHandle {
  let alive = true;
  let lastMaintain = 0;
  const loop = (async () => {
    while (alive) {
      let worked = false;
      try {
        if (Date.now() - lastMaintain >= MAINTAIN_MS) {
          lastMaintain = Date.now();
          await tiers.queue.maintain();
        }
        worked = await processNextJob(tiers, { id, killed: () => !alive }, work);
      } catch {
        worked = false; // the queue's store failed: ask again after a pause
      }
      if (!worked && alive) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return {
    id,
    get alive() {
      return alive;
    },
    kill() {
      alive = false;
    },
    async stop() {
      alive = false;
      await loop;
    },
  };
}

/**
 * Task 2: one job, done before it is acknowledged. Lease the next job, process it, and only then complete
 * it with its album entry as the effect (once in effect, whatever happens twice). A worker killed mid-job
 * completes nothing: the lease runs out and another worker takes the job. Says whether there was a job.
 */
export async function processNextJob(
  tiers: Tiers,
  worker: { id: string; killed(): boolean },
  work: (job: UploadJob) => Promise<void>,
): Promise<boolean> {
  const leased = await tiers.queue.reserve();
  if (!leased) return false;
  const job = { photo: leased.fields.photo ?? '', owner: Number(leased.fields.owner), worker: worker.id };
  try {
    await work(job);
  } catch (error) {
    if (!worker.killed()) await tiers.queue.fail(leased.id, (error as Error).message);
    return true;
  }
  if (worker.killed()) return true;
  await tiers.queue.complete(leased.id, [albumEntry(job)]);
  return true;
}
