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
 * Every move between these is one Lua script, so a crash never leaves a job in two places or in none.
 * Scripts get every key through KEYS (a job's key as the prefix `job:` plus its id): a key name made up
 * inside a script would miss the client's key prefix, and would break on a Redis Cluster.
 */
import { randomUUID } from 'node:crypto';
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

const RESERVE = `
local id = redis.call('LPOP', KEYS[1])
if not id then return nil end
redis.call('ZADD', KEYS[2], ARGV[1], id)
redis.call('HSET', KEYS[3] .. id, 'status', 'processing')
redis.call('HINCRBY', KEYS[3] .. id, 'attempts', 1)
return id`;

// Returns due ids of one sorted set to the ready list.
const RELEASE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('RPUSH', KEYS[2], id)
  redis.call('HSET', KEYS[3] .. id, 'status', 'queued')
end
return #due`;

const FAIL = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 'stale' end
local attempts = tonumber(redis.call('HGET', KEYS[4], 'attempts'))
redis.call('HSET', KEYS[4], 'error', ARGV[2])
if attempts >= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[4], 'status', 'failed')
  redis.call('RPUSH', KEYS[3], ARGV[1])
  return 'dead'
end
redis.call('HSET', KEYS[4], 'status', 'queued')
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]) + tonumber(ARGV[5]) * 2 ^ (attempts - 1), ARGV[1])
return 'retry'`;

export function createQueue({ redis, visibilityTimeoutMs, maxAttempts, backoffMs }: QueueOptions): Queue {
  const keys = { ready: 'queue:ready', leased: 'queue:leased', delayed: 'queue:delayed', dead: 'queue:dead' };

  const info = async (id: string): Promise<JobInfo | undefined> => {
    const hash = await redis.hgetall(`job:${id}`);
    if (!hash.status) return undefined;
    const { status, attempts, error, ...fields } = hash;
    return {
      id,
      status: status as JobStatus,
      attempts: Number(attempts ?? 0),
      ...(error ? { error } : {}),
      fields,
    };
  };

  return {
    async enqueue(fields) {
      const id = randomUUID();
      await redis
        .multi()
        .hset(`job:${id}`, { ...fields, status: 'queued', attempts: '0' })
        .rpush(keys.ready, id)
        .exec();
      return id;
    },
    async reserve() {
      const id = (await redis.eval(
        RESERVE,
        3,
        keys.ready,
        keys.leased,
        'job:',
        Date.now() + visibilityTimeoutMs,
      )) as string | null;
      return id ? info(id) : undefined;
    },
    async complete(id, effects) {
      // One script: the "applied" marker, the effects and the done status happen together or not at all.
      // KEYS: leased, applied:<id>, job:<id>, then one key per effect. ARGV: the id, then for each effect
      // its command, its number of arguments, and the arguments.
      const script = `
local unpack = table.unpack or unpack
if not redis.call('SET', KEYS[2], '1', 'NX') then
  -- Applied before (a redelivered copy of a job that was done meanwhile): nothing to apply, but the job
  -- is done, whatever a later lease wrote into its status.
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HSET', KEYS[3], 'status', 'done')
  return 0
end
local at = 2
for i = 4, #KEYS do
  local command, count = ARGV[at], tonumber(ARGV[at + 1])
  local args = {}
  for j = 1, count do args[j] = ARGV[at + 1 + j] end
  redis.call(command, KEYS[i], unpack(args))
  at = at + 2 + count
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[3], 'status', 'done')
redis.call('HDEL', KEYS[3], 'error')
return 1`;
      const effectKeys = effects.map(([, key]) => key);
      const effectArgs = effects.flatMap(([command, , ...args]) => [command, String(args.length), ...args]);
      const applied = await redis.eval(
        script,
        3 + effects.length,
        keys.leased,
        `applied:${id}`,
        `job:${id}`,
        ...effectKeys,
        id,
        ...effectArgs,
      );
      return applied === 1;
    },
    async fail(id, error) {
      const outcome = (await redis.eval(
        FAIL,
        4,
        keys.leased,
        keys.delayed,
        keys.dead,
        `job:${id}`,
        id,
        error.slice(0, 500),
        maxAttempts,
        Date.now(),
        backoffMs,
      )) as string;
      return outcome === 'dead' ? 'dead' : 'retry';
    },
    async maintain() {
      const now = Date.now();
      const expired = (await redis.eval(RELEASE, 3, keys.leased, keys.ready, 'job:', now)) as number;
      const due = (await redis.eval(RELEASE, 3, keys.delayed, keys.ready, 'job:', now)) as number;
      return expired + due;
    },
    info,
    async depth() {
      const [ready, delayed, processing, dead] = await Promise.all([
        redis.llen(keys.ready),
        redis.zcard(keys.delayed),
        redis.zcard(keys.leased),
        redis.llen(keys.dead),
      ]);
      return { ready, delayed, processing, dead };
    },
    async deadLetters() {
      const ids = await redis.lrange(keys.dead, 0, -1);
      return (await Promise.all(ids.map(info))).filter((j): j is JobInfo => j !== undefined);
    },
  };
}
