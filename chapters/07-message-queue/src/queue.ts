/**
 * A durable, reliable job queue over Redis. README: task 1 (the queue, leases, completion once) and task 2
 * (failures: backoff and dead letters).
 * It must work on ioredis-mock as on a real Redis: no blocking pops, no streams, no cjson; Lua through
 * `redis.eval` works on both (pass every key through KEYS).
 */
import type { Redis } from 'ioredis';

export type JobStatus = 'queued' | 'processing' | 'done' | 'failed';

export interface JobInfo {
  id: string;
  status: JobStatus;
  attempts: number;
  error?: string;
  fields: Record<string, string>;
}

export interface QueueOptions {
  redis: Redis;
  /** A worker that has not finished a job within this time is presumed dead: the job goes back. */
  visibilityTimeoutMs: number;
  /** After this many attempts (failed, or whose lease ran out) the job goes to the dead-letter list. */
  maxAttempts: number;
  /** The first retry waits this long; each further retry twice as long. */
  backoffMs: number;
}

export interface Depth {
  ready: number;
  delayed: number;
  processing: number;
  dead: number;
}

export interface Queue {
  enqueue(fields: Record<string, string>): Promise<string>;
  /** Leases the next ready job to the caller, or undefined when there is none. */
  reserve(): Promise<JobInfo | undefined>;
  /**
   * Completes a job once in effect: the first completion runs `effects` (Redis commands as
   * [command, key, ...args]) and marks the job done; any later completion of the same job changes nothing.
   */
  complete(id: string, effects: [string, string, ...string[]][]): Promise<boolean>;
  /** A failed attempt: back to the queue after a backoff, or to the dead letters after maxAttempts. */
  fail(id: string, error: string): Promise<'retry' | 'dead'>;
  /** Returns expired leases to the queue and due retries to the ready list; says how many moved. */
  maintain(): Promise<number>;
  info(id: string): Promise<JobInfo | undefined>;
  depth(): Promise<Depth>;
  deadLetters(): Promise<JobInfo[]>;
}

export function createQueue(options: QueueOptions): Queue {
  // Task 1: choose Redis structures for the states of a job on options.redis; every move of a job between
  // them is one Lua script (`redis.eval`) that takes every key through KEYS.
  const { visibilityTimeoutMs, maxAttempts, backoffMs } = options;
  return {
    async enqueue(fields) {
      throw new Error(`TODO (README, task 1): enqueue a job of ${Object.keys(fields).length} fields`);
    },
    async reserve() {
      throw new Error(`TODO (README, task 1): lease the next ready job for ${visibilityTimeoutMs} ms`);
    },
    async complete(id, effects) {
      throw new Error(`TODO (README, task 1): complete ${id} and apply ${effects.length} effects once`);
    },
    async fail(id, error) {
      throw new Error(
        `TODO (README, task 2): a failed attempt of ${id} (${error}): retry after ${backoffMs} ms × 2^(attempts − 1), or dead after ${maxAttempts}`,
      );
    },
    async maintain() {
      // Task 1: expired leases go back to ready. Task 2: due retries too, and a job whose lease ran out
      // maxAttempts times goes to the dead letters.
      throw new Error('TODO (README, task 1): return expired leases to the queue');
    },
    async info(id) {
      throw new Error(`TODO (README, task 1): the status and attempts of ${id}`);
    },
    async depth() {
      throw new Error('TODO (README, task 1): count the jobs in each state');
    },
    async deadLetters() {
      throw new Error('TODO (README, task 2): the jobs that failed for good');
    },
  };
}
