/**
 * The cache tier: cache-aside reads over Redis in front of the database. README: tasks 1–4.
 * The database has `photos (id integer primary key, owner text, title text)`.
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
  // TODO task 1: cache-aside with a TTL; write the database, then invalidate.
  // TODO task 2: one database query for many concurrent misses of one photo.
  // TODO task 3: Redis failing is a miss, never an error; remember invalidations that failed.
  throw new Error(`TODO (README, tasks 1–4): a cache with a ${options.ttlSeconds} s TTL`);
}
