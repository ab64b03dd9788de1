/**
 * The cache tier: cache-aside reads over Redis in front of the database.
 * - read (task 1): Redis first; on a miss, the database, then Redis with a TTL;
 * - write (task 1): the database first, then delete the cached copy (the next read fetches the new value);
 * - many concurrent misses for one photo make one database query (task 2: single flight);
 * - Redis failing or slow is a miss, never an error: the database answers (task 3); a deletion that failed
 *   is retried in the background until Redis takes it, and the key is not trusted until then.
 */
import { setTimeout as sleep } from 'node:timers/promises';
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
  ttlSeconds: number;
  /** How long a Redis command may take before the cache gives up on it. Default 250 ms. */
  redisTimeoutMs?: number;
  /** How often a failed invalidation is tried again. Default 100 ms. */
  retryEveryMs?: number;
}

export interface PhotoCache {
  getPhoto(id: number): Promise<Photo | undefined>;
  renamePhoto(id: number, title: string): Promise<Photo | undefined>;
}

const keyOf = (id: number) => `photo:${id}`;

/** The command's answer, or a rejection once `ms` have passed without one (a hung Redis never answers). */
function withTimeout<T>(command: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    command.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export function createPhotoCache({
  redis,
  pool,
  ttlSeconds,
  redisTimeoutMs = 250,
  retryEveryMs = 100,
}: PhotoCacheOptions): PhotoCache {
  /** Loads in flight by photo id: the misses of one photo share one database query (task 2). */
  const loading = new Map<number, Promise<Photo | undefined>>();
  /**
   * Keys whose deletion failed (task 3), with the moment their old copy has expired by itself anyway:
   * until then the key is not read from Redis, and its deletion is tried again in the background.
   */
  const unsure = new Map<string, number>();
  let retrying = false;

  const command = <T>(run: () => Promise<T>): Promise<T> => withTimeout(run(), redisTimeoutMs);

  /** Task 3: deletes the unsure keys until Redis takes every one of them, or their copies have expired. */
  const retryInvalidations = async (): Promise<void> => {
    while (unsure.size > 0) {
      await sleep(retryEveryMs, undefined, { ref: false });
      for (const [key, expiresAt] of [...unsure]) {
        if (Date.now() >= expiresAt) unsure.delete(key);
        else await command(() => redis.del(key)).then(() => unsure.delete(key), ignore);
      }
    }
  };

  /** Task 3: a deletion that failed: distrust the key, and try again until Redis takes it. */
  const invalidateLater = (key: string): void => {
    unsure.set(key, Date.now() + ttlSeconds * 1000);
    if (retrying) return;
    retrying = true;
    void retryInvalidations().finally(() => {
      retrying = false;
    });
  };

  /** The copy in Redis; undefined on a miss, and when Redis fails or cannot be trusted for this key. */
  const readCopy = async (id: number): Promise<Photo | undefined> => {
    if (unsure.has(keyOf(id))) return undefined;
    const copy = await command(() => redis.get(keyOf(id))).catch(() => null);
    return copy ? (JSON.parse(copy) as Photo) : undefined;
  };

  /** The database, then a copy in Redis that expires; a copy that Redis refuses is simply not kept. */
  const loadPhoto = async (id: number): Promise<Photo | undefined> => {
    const result = await pool.query<Photo>('SELECT id, owner, title FROM photos WHERE id = $1', [id]);
    const photo = result.rows[0];
    if (photo) {
      const key = keyOf(id);
      // A fresh copy also replaces a stale one whose deletion failed: the key can be trusted again.
      await command(() => redis.set(key, JSON.stringify(photo), 'EX', ttlSeconds)).then(
        () => unsure.delete(key),
        ignore,
      );
    }
    return photo;
  };

  return {
    async getPhoto(id) {
      const copy = await readCopy(id);
      if (copy) return copy;
      let pending = loading.get(id);
      if (!pending) {
        pending = loadPhoto(id).finally(() => loading.delete(id));
        loading.set(id, pending);
      }
      return pending;
    },
    async renamePhoto(id, title) {
      const result = await pool.query<Photo>(
        'UPDATE photos SET title = $2 WHERE id = $1 RETURNING id, owner, title',
        [id, title],
      );
      const key = keyOf(id);
      await command(() => redis.del(key)).catch(() => invalidateLater(key));
      return result.rows[0];
    },
  };
}

function ignore(): void {}
