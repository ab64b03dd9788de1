/**
 * A durable, reliable job queue over plain Redis commands and Lua (no blocking pops, no streams, no cjson,
 * so it runs the same on ioredis-mock and on a real Redis).
 *
 *   ready      a list of job ids waiting for a worker
 *   leased     a sorted set: job id → the time its worker's lease runs out (the visibility timeout)
 *   delayed    a sorted set: job id → the time a failed job may be tried again (backoff)
 *   dead       a list of job ids that failed maxAttempts times
 *   job:<id>   a hash: status, attempts, error, and the job's fields
 *
 * Every move between these is one Lua script (scripts.ts). Polling asks with plain commands first and
 * runs a script only when there is something to move: on ioredis-mock each script costs the process
 * milliseconds of CPU, and workers poll all the time.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { COMPLETE, FAIL, KEYS, RELEASE_DUE, RELEASE_EXPIRED, RESERVE } from './scripts.js';

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
   * Returns whether this call was the one that applied them.
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

export function createQueue({ redis, visibilityTimeoutMs, maxAttempts, backoffMs }: QueueOptions): Queue {
  return {
    async enqueue(fields) {
      const id = randomUUID();
      await redis
        .multi()
        .hset(`${KEYS.job}${id}`, { ...fields, status: 'queued', attempts: '0' })
        .rpush(KEYS.ready, id)
        .exec();
      return id;
    },
    async reserve() {
      if ((await redis.llen(KEYS.ready)) === 0) return undefined;
      const lease = Date.now() + visibilityTimeoutMs;
      const id = (await redis.eval(RESERVE, 3, KEYS.ready, KEYS.leased, KEYS.job, lease)) as string | null;
      return id ? readJob(redis, id) : undefined;
    },
    async complete(id, effects) {
      const states = [KEYS.ready, KEYS.leased, KEYS.delayed, KEYS.dead];
      const keys = [...states, `applied:${id}`, `${KEYS.job}${id}`, ...effects.map(([, key]) => key)];
      const args = effects.flatMap(([command, , ...rest]) => [command, String(rest.length), ...rest]);
      return (await redis.eval(COMPLETE, keys.length, ...keys, id, ...args)) === 1;
    },
    async fail(id, error) {
      const keys = [KEYS.leased, KEYS.delayed, KEYS.dead, `${KEYS.job}${id}`];
      const args = [id, error.slice(0, 500), maxAttempts, Date.now(), backoffMs];
      const outcome = (await redis.eval(FAIL, keys.length, ...keys, ...args)) as string;
      return outcome === 'dead' ? 'dead' : 'retry';
    },
    async maintain() {
      const now = Date.now();
      let moved = 0;
      if (await anyDue(redis, KEYS.leased, now)) {
        const keys = [KEYS.leased, KEYS.ready, KEYS.dead, KEYS.job];
        moved += (await redis.eval(RELEASE_EXPIRED, keys.length, ...keys, now, maxAttempts)) as number;
      }
      if (await anyDue(redis, KEYS.delayed, now))
        moved += (await redis.eval(RELEASE_DUE, 3, KEYS.delayed, KEYS.ready, KEYS.job, now)) as number;
      return moved;
    },
    info: (id) => readJob(redis, id),
    async depth() {
      const [ready, delayed, processing, dead] = await Promise.all([
        redis.llen(KEYS.ready),
        redis.zcard(KEYS.delayed),
        redis.zcard(KEYS.leased),
        redis.llen(KEYS.dead),
      ]);
      return { ready, delayed, processing, dead };
    },
    async deadLetters() {
      const ids = await redis.lrange(KEYS.dead, 0, -1);
      return (await Promise.all(ids.map((id) => readJob(redis, id)))).filter(
        (job): job is JobInfo => job !== undefined,
      );
    },
  };
}

/** A job as its hash says, or undefined for an unknown id. */
async function readJob(redis: Redis, id: string): Promise<JobInfo | undefined> {
  const hash = await redis.hgetall(`${KEYS.job}${id}`);
  if (!hash.status) return undefined;
  const { status, attempts, error, ...fields } = hash;
  return {
    id,
    status: status as JobStatus,
    attempts: Number(attempts ?? 0),
    ...(error ? { error } : {}),
    fields,
  };
}

/** Whether a sorted set of times holds one due by `now`: a plain read, so that idle polls run no script. */
async function anyDue(redis: Redis, key: string, now: number): Promise<boolean> {
  return (await redis.zrangebyscore(key, '-inf', now, 'LIMIT', 0, 1)).length > 0;
}
