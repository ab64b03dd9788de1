/**
 * A durable, reliable job queue over Redis. README: task 1 and 2.
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
  /** After this many failed attempts the job goes to the dead-letter list. */
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
  throw new Error(
    `TODO (README, tasks 1–2): a reliable queue with a ${options.visibilityTimeoutMs} ms lease`,
  );
}
