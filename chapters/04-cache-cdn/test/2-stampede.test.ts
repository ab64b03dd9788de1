/**
 * Task 2 — stampede protection. When a popular entry is missing (expired, evicted, or just deployed), every
 * request that wants it at that moment misses at once. Without care they all hit the database.
 */

import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';
import { createPhotoCache } from '../src/photo-cache.js';
import { photoDatabase, photoReads } from './fixtures.js';

describe('Stampede protection', () => {
  it('turns 50 simultaneous misses for one photo into one database query', async () => {
    const db = await photoDatabase(10);
    const cache = createPhotoCache({ redis: createRedis().client, pool: db.pool, ttlSeconds: 60 });
    const before = photoReads(db);
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.getPhoto(7)));
    expect(
      results.filter((p) => p?.title !== 'photo 7'),
      'every caller gets photo 7 (nothing else, nothing missing)',
    ).toEqual([]);
    expect(
      photoReads(db) - before,
      'fifty concurrent misses for photo 7: let the first one load it and the others wait for that result',
    ).toBe(1);
    const mixed = await Promise.all(Array.from({ length: 30 }, (_, i) => cache.getPhoto(1 + (i % 3))));
    expect(
      mixed.map((p) => p?.id),
      'thirty concurrent misses for photos 1, 2 and 3: each caller gets the photo it asked for',
    ).toEqual(Array.from({ length: 30 }, (_, i) => 1 + (i % 3)));
  });
});
