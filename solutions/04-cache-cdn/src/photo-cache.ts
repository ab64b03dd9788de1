/**
 * The cache tier: cache-aside reads over Redis in front of the database.
 * - read: Redis first; on a miss, the database, then Redis with a TTL;
 * - write: the database first, then delete the cached copy (the next read fetches the new value);
 * - many concurrent misses for one key make one database query (single flight);
 * - Redis failing or slow is a miss, never an error: the database answers.
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
  ttlSeconds: number;
  /** How long a Redis command may take before the cache gives up on it. Default 100 ms. */
  redisTimeoutMs?: number;
}

export interface PhotoCache {
  getPhoto(id: number): Promise<Photo | undefined>;
  renamePhoto(id: number, title: string): Promise<Photo | undefined>;
}

export function createPhotoCache({
  redis,
  pool,
  ttlSeconds,
  redisTimeoutMs = 100,
}: PhotoCacheOptions): PhotoCache {
  const inFlight = new Map<number, Promise<Photo | undefined>>();
  /** Keys whose invalidation failed while Redis was down: never trust them until they are deleted. */
  const unsure = new Set<string>();
  const key = (id: number) => `photo:${id}`;

  const withTimeout = <T>(command: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis timed out')), redisTimeoutMs);
      command.then(resolve, reject).finally(() => clearTimeout(timer));
    });

  /** Retries the deletes that failed; true when none is left. */
  const settleUnsure = async () => {
    for (const k of [...unsure]) {
      await withTimeout(redis.del(k));
      unsure.delete(k);
    }
  };

  const load = async (id: number): Promise<Photo | undefined> => {
    const result = await pool.query<Photo>('SELECT id, owner, title FROM photos WHERE id = $1', [id]);
    const photo = result.rows[0];
    if (photo) {
      await settleUnsure()
        .then(() => withTimeout(redis.set(key(id), JSON.stringify(photo), 'EX', ttlSeconds)))
        .catch(() => undefined);
    }
    return photo;
  };

  return {
    async getPhoto(id) {
      const cached = await settleUnsure()
        .then(() => withTimeout(redis.get(key(id))))
        .catch(() => null);
      if (cached) return JSON.parse(cached) as Photo;
      let pending = inFlight.get(id);
      if (!pending) {
        pending = load(id).finally(() => inFlight.delete(id));
        inFlight.set(id, pending);
      }
      return pending;
    },
    async renamePhoto(id, title) {
      const result = await pool.query<Photo>(
        'UPDATE photos SET title = $2 WHERE id = $1 RETURNING id, owner, title',
        [id, title],
      );
      await withTimeout(redis.del(key(id))).catch(() => unsure.add(key(id)));
      return result.rows[0];
    },
  };
}
