/** Scales the workers with the queue's depth, within bounds. README: task 4. */
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
  throw new Error(`TODO (README, task 4): between ${options.min} and ${options.max} workers`);
}
