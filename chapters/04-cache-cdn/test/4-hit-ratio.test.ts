/**
 * Task 4 — the measured effect. Real traffic is skewed: a few photos are wanted far more than the rest.
 */

import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';
import { createPhotoCache } from '../src/photo-cache.js';
import { photoDatabase, photoReads, zipf } from './fixtures.js';

describe('Hit ratio on a skewed workload', () => {
  it('removes at least 90% of the database queries of a seeded Zipf workload (3000 reads of 300 photos)', async () => {
    const db = await photoDatabase(300);
    const cache = createPhotoCache({ redis: createRedis().client, pool: db.pool, ttlSeconds: 300 });
    const requests = zipf(300, 1.2, 3000, 20260401);
    const before = photoReads(db);
    for (const id of requests) await cache.getPhoto(id);
    const queries = photoReads(db) - before;
    const removed = 1 - queries / requests.length;
    expect(
      removed,
      `3000 reads made ${queries} database queries (${(removed * 100).toFixed(1)}% removed); the cache should remove at least 90%`,
    ).toBeGreaterThanOrEqual(0.9);
  });
});
