/**
 * The cache tier: cache-aside reads over Redis in front of the database. README: tasks 1–4.
 * The database has `photos (id integer primary key, owner text, title text)`.
 *
 * Each function below says the task (README) that writes it; tasks 2 and 3 then harden the two methods of
 * task 1. The tests of a task use only what that task and the ones before it build.
 */
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';

export interface Photo {
  id: number;
  owner: string;
  title: string;
}

export interface PhotoCacheOptions {
  redis: Redis;
  pool: Pool;
  /** Every cached copy expires after this many seconds. */
  ttlSeconds: number;
}

export interface PhotoCache {
  /** Redis first; on a miss the database, then Redis. Undefined when the photo does not exist. */
  getPhoto(id: number): Promise<Photo | undefined>;
  /** The database first, then the cached copy is removed. Undefined when the photo does not exist. */
  renamePhoto(id: number, title: string): Promise<Photo | undefined>;
}

export function createPhotoCache(options: PhotoCacheOptions): PhotoCache {
  const { redis, pool, ttlSeconds } = options;

  /**
   * Task 3: a deletion of a cached copy failed (Redis down or hanging). Do not trust that key until it is
   * deleted, and keep trying in the background until Redis takes the deletion (or the old copy has expired
   * by itself, ttlSeconds later), so that no web server reads the stale copy once Redis is back.
   */
  const invalidateLater = (key: string): void => {
    throw new Error(`TODO (README, task 3): delete ${key} as soon as Redis takes it again`);
  };

  return {
    async getPhoto(id) {
      // Task 1: Redis first; on a miss the database, then a copy in Redis with a TTL of ttlSeconds.
      // Task 2: the concurrent misses of one photo share one database query.
      // Task 3: a Redis command that fails or hangs (give each a short timeout) is a miss, never an error;
      //         a key handed to invalidateLater is a miss until its deletion has happened.
      throw new Error(`TODO (README, task 1): getPhoto(${id}), cache-aside with a ${ttlSeconds} s TTL`);
    },
    async renamePhoto(id, title) {
      // Task 1: the database first, then delete the cached copy.
      // Task 3: a deletion that fails or hangs goes to invalidateLater; the rename still succeeds.
      throw new Error(`TODO (README, task 1): renamePhoto(${id}, "${title}"), then invalidate`);
    },
  };
}
