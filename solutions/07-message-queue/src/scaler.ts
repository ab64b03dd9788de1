/** Scales the workers with the queue's depth, within bounds. */
import type { Worker } from './worker.js';

export interface WorkerScalerOptions {
  /** Jobs waiting (ready plus delayed). */
  depth(): Promise<number>;
  startWorker(): Worker;
  min: number;
  max: number;
  /** The backlog one worker should face. */
  jobsPerWorker: number;
}

export interface WorkerScaler {
  /** Looks at the depth and starts or stops workers; resolves with the number running. */
  evaluate(): Promise<number>;
  size(): number;
  stopAll(): Promise<void>;
}

export function createWorkerScaler(options: WorkerScalerOptions): WorkerScaler {
  const workers: Worker[] = [];
  let busy: Promise<number> = Promise.resolve(0);
  const resize = async (wanted: number) => {
    while (workers.length < wanted) workers.push(options.startWorker());
    while (workers.length > wanted) await workers.pop()?.stop();
    return workers.length;
  };
  return {
    evaluate() {
      const run = async () => {
        const depth = await options.depth();
        const wanted = Math.min(options.max, Math.max(options.min, Math.ceil(depth / options.jobsPerWorker)));
        return resize(wanted);
      };
      busy = busy.then(run, run);
      return busy;
    },
    size: () => workers.length,
    async stopAll() {
      await busy.catch(() => undefined);
      await resize(0);
    },
  };
}
