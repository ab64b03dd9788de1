/**
 * Task 3 — the cache is not a single point of failure. If Redis goes away, the service gets slower, not
 * broken: reads fall back to the database and writes still succeed.
 */

import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';
import { within } from '#kit/wait';
import { createPhotoCache } from '../src/photo-cache.js';
import { photoDatabase } from './fixtures.js';

describe('Cache failure: Redis down is a miss, not an error', () => {
  it('reads from the database and still accepts writes while Redis is down', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const cache = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    await cache.getPhoto(1);
    store.stop();
    for (let id = 1; id <= 10; id++) {
      const photo = await cache.getPhoto(id).catch((error: Error) => `threw: ${error.message}`);
      expect(
        photo,
        `read of photo ${id} with Redis down: fall back to the database, do not fail`,
      ).toMatchObject({
        id,
        title: `photo ${id}`,
      });
    }
    const written = await cache
      .renamePhoto(4, 'during outage')
      .catch((error: Error) => `threw: ${error.message}`);
    expect(
      written,
      'a write with Redis down must still succeed: the database is the source of truth',
    ).toMatchObject({
      title: 'during outage',
    });
  });

  it('serves no stale copy once Redis is back, even for a write it could not invalidate', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const cache = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    await cache.getPhoto(5);
    store.stop();
    await cache.renamePhoto(5, 'changed while Redis was down');
    await expect(
      cache.getPhoto(5),
      'a read during the outage comes from the database',
    ).resolves.toMatchObject({
      title: 'changed while Redis was down',
    });
    store.start();
    expect(
      (await cache.getPhoto(5))?.title,
      'Redis still holds the copy from before the outage: remember the invalidation that failed and do it before trusting Redis again',
    ).toBe('changed while Redis was down');
  });

  it('gives up on a Redis that hangs, and answers from the database', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const cache = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    store.hang(); // commands are accepted and never answered
    const photo = await within(
      cache.getPhoto(6),
      2000,
      'getPhoto never returned while Redis hung: give every Redis command a short timeout and treat it as a miss',
    );
    expect(photo, 'the database answered instead').toMatchObject({ id: 6, title: 'photo 6' });
    await within(cache.renamePhoto(6, 'while hung'), 2000, 'renamePhoto never returned while Redis hung');
  });
});
