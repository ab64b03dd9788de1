/**
 * Task 1 — cache-aside. The web server asks the cache first; on a miss it reads the database and keeps the
 * answer in Redis for a while. A write goes to the database first, then removes the cached copy.
 */

import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';
import { createPhotoCache } from '../src/photo-cache.js';
import { gatedPool, photoDatabase, photoReads } from './fixtures.js';

describe('Cache-aside over Redis', () => {
  it('serves the second read of a photo from the cache, not the database', async () => {
    const db = await photoDatabase(10);
    const cache = createPhotoCache({ redis: createRedis().client, pool: db.pool, ttlSeconds: 60 });
    expect(await cache.getPhoto(3), 'the first read finds the photo in the database').toEqual({
      id: 3,
      owner: 'user3',
      title: 'photo 3',
    });
    const before = photoReads(db);
    expect(await cache.getPhoto(3)).toEqual({ id: 3, owner: 'user3', title: 'photo 3' });
    expect(
      photoReads(db) - before,
      'the second read of photo 3 must come from Redis: no database query',
    ).toBe(0);
    expect(await cache.getPhoto(999), 'a photo that does not exist is undefined').toBeUndefined();
  });

  it('gives every cached entry an expiry no longer than ttlSeconds', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const cache = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 30 });
    for (let id = 1; id <= 5; id++) await cache.getPhoto(id);
    const keys = await store.keys();
    expect(keys.length, 'five photos were read: their copies must be in Redis').toBeGreaterThanOrEqual(5);
    for (const { key, ttl } of keys) {
      expect(
        ttl,
        `key "${key}" has TTL ${ttl}: every cached copy must expire (EX ttlSeconds), or it can stay stale forever`,
      ).toBeGreaterThan(0);
      expect(ttl, `key "${key}" lives longer than ttlSeconds (30)`).toBeLessThanOrEqual(30);
    }
  });

  it('never serves a stale copy after a write, on any web server sharing the cache', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const serverA = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    const serverB = createPhotoCache({ redis: store.connect(), pool: db.connect(), ttlSeconds: 60 });
    await serverA.getPhoto(1);
    await serverB.getPhoto(1);
    expect(await serverA.renamePhoto(1, 'sunrise'), 'the write returns the updated photo').toMatchObject({
      title: 'sunrise',
    });
    expect((await serverA.getPhoto(1))?.title, 'the server that wrote reads its write').toBe('sunrise');
    expect(
      (await serverB.getPhoto(1))?.title,
      'another web server must not serve its old copy: the cached entry lives in Redis and the write removed it',
    ).toBe('sunrise');
    const row = await db.pool.query('SELECT title FROM photos WHERE id = 1');
    expect(row.rows, 'the write reached the database').toEqual([{ title: 'sunrise' }]);
  });

  it('writes the database first and invalidates after, so a read during the write cannot pin the old value', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const gate = gatedPool(db.pool, /^\s*update\b/i);
    const writer = createPhotoCache({ redis: store.client, pool: gate.pool, ttlSeconds: 60 });
    const reader = createPhotoCache({ redis: store.connect(), pool: db.connect(), ttlSeconds: 60 });
    await reader.getPhoto(2);

    const writing = writer.renamePhoto(2, 'renamed');
    await gate.arrival; // the UPDATE is on its way to the database, and held there
    await reader.getPhoto(2); // a reader meanwhile: it may see the old title, and may cache it
    gate.open();
    await writing;
    expect(
      (await reader.getPhoto(2))?.title,
      'a read after the write returned the old title. Invalidating before the database write lets a concurrent ' +
        'read put the old title back in Redis: update the database first, then delete the cached copy',
    ).toBe('renamed');
  });
});
