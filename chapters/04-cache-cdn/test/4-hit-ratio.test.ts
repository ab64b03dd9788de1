/**
 * Task 4 — the measured effect. Real traffic is skewed: a few photos are wanted far more than the rest.
 */

import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';
import { step } from '#kit/wait';
import { createPhotoCache } from '../src/photo-cache.js';
import { photoDatabase, photoReads, zipf } from './fixtures.js';

describe('Hit ratio on a skewed workload', () => {
  it('removes at least 90% of the database queries of a seeded Zipf workload (1000 reads of 100 photos)', async () => {
    const db = await photoDatabase(100);
    const cache = createPhotoCache({ redis: createRedis().client, pool: db.pool, ttlSeconds: 300 });
    const requests = zipf(100, 1.2, 1000, 20260401);
    const before = photoReads(db);
    const read = async () => {
      for (const id of requests) await cache.getPhoto(id);
    };
    await step(() => `1000 reads (${photoReads(db) - before} database queries so far)`, read());
    const queries = photoReads(db) - before;
    const removed = 1 - queries / requests.length;
    expect(
      removed,
      `1000 reads of ${new Set(requests).size} different photos made ${queries} database queries ` +
        `(${(removed * 100).toFixed(1)}% removed); the cache should remove at least 90%: each photo may miss once, ` +
        'then its copy must be found under the same key for the rest of the run (TTL 300 s)',
    ).toBeGreaterThanOrEqual(0.9);
  });
});
