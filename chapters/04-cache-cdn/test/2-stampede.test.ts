/**
 * Task 2 — stampede protection. When a popular entry is missing (expired, evicted, or just deployed), every
 * request that wants it at that moment misses at once. Without care they all hit the database.
 */

import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';
import { step } from '#kit/wait';
import { createPhotoCache, type PhotoCache } from '../src/photo-cache.js';
import { photoDatabase, photoReads } from './fixtures.js';

/** `count` simultaneous getPhoto calls, each for `idOf(i)`. */
function burst(cache: PhotoCache, count: number, idOf: (i: number) => number, what: string) {
  return step(
    `${what}: every getPhoto returns (concurrent misses that wait for one load must all be answered)`,
    Promise.all(Array.from({ length: count }, (_, i) => cache.getPhoto(idOf(i)))),
  );
}

describe('Stampede protection', () => {
  it('turns 50 simultaneous misses for one photo into one database query', async () => {
    const db = await photoDatabase(10);
    const cache = createPhotoCache({ redis: createRedis().client, pool: db.pool, ttlSeconds: 60 });
    const before = photoReads(db);
    const results = await burst(cache, 50, () => 7, '50 reads of photo 7 on a cold cache');
    expect(
      results.filter((p) => p?.title !== 'photo 7'),
      'every caller gets photo 7 (nothing else, nothing missing)',
    ).toEqual([]);
    expect(
      photoReads(db) - before,
      'fifty concurrent misses for photo 7: let the first one load it and the others wait for that result',
    ).toBe(1);
    const mixed = await burst(cache, 30, (i) => 1 + (i % 3), '30 reads of photos 1, 2 and 3');
    expect(
      mixed.map((p) => p?.id),
      'thirty concurrent misses for photos 1, 2 and 3: each caller gets the photo it asked for (one load per photo, not one for all)',
    ).toEqual(Array.from({ length: 30 }, (_, i) => 1 + (i % 3)));
  });

  it('loads again after a load has finished: a later miss never reuses an old answer', async () => {
    const db = await photoDatabase(10);
    const cache = createPhotoCache({ redis: createRedis().client, pool: db.pool, ttlSeconds: 60 });
    await burst(cache, 20, () => 8, '20 reads of photo 8 on a cold cache');
    await step('renamePhoto(8, …)', cache.renamePhoto(8, 'second edition'));
    const before = photoReads(db);
    const results = await burst(cache, 20, () => 8, '20 reads of photo 8 after its rename');
    expect(
      results.map((p) => p?.title).filter((title) => title !== 'second edition'),
      'after the rename, the misses of photo 8 got an old answer: a load in flight is shared only while it is ' +
        'in flight; forget it once it has settled (or later misses reuse the old result forever)',
    ).toEqual([]);
    expect(photoReads(db) - before, 'the misses after the rename share one new database query').toBe(1);
  });
});
