/**
 * Task 3 — the cache is not a single point of failure. If Redis goes away, the service gets slower, not
 * broken: reads fall back to the database and writes still succeed; once Redis is back, no web server reads
 * a copy that a write made stale during the outage, and the cache is used again.
 */

import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';
import { step, until, within } from '#kit/wait';
import { createPhotoCache } from '../src/photo-cache.js';
import { photoDatabase, photoReads } from './fixtures.js';

describe('Cache failure: Redis down is a miss, not an error', () => {
  it('reads from the database and still accepts writes while Redis is down', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const cache = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    await step('getPhoto(1)', cache.getPhoto(1));
    store.stop();
    for (let id = 1; id <= 10; id++) {
      const photo = await step(
        `getPhoto(${id}) with Redis down`,
        cache.getPhoto(id).catch((error: Error) => `threw: ${error.message}`),
      );
      expect(
        photo,
        `read of photo ${id} with Redis down: fall back to the database, do not fail`,
      ).toMatchObject({ id, title: `photo ${id}` });
    }
    const written = await step(
      'renamePhoto(4) with Redis down',
      cache.renamePhoto(4, 'during outage').catch((error: Error) => `threw: ${error.message}`),
    );
    expect(
      written,
      'a write with Redis down must still succeed: the database is the source of truth',
    ).toMatchObject({ title: 'during outage' });
  });

  it('serves no stale copy once Redis is back, even for a write it could not invalidate, and uses the cache again', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const cache = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    await step('getPhoto(5)', cache.getPhoto(5));
    store.stop();
    await step('renamePhoto(5) with Redis down', cache.renamePhoto(5, 'changed while Redis was down'));
    expect(
      await step('getPhoto(5) with Redis down', cache.getPhoto(5)),
      'a read during the outage comes from the database',
    ).toMatchObject({ title: 'changed while Redis was down' });
    store.start();
    expect(
      (await step('getPhoto(5) once Redis is back', cache.getPhoto(5)))?.title,
      'Redis still holds the copy from before the outage: remember the invalidation that failed and do it before trusting that key again',
    ).toBe('changed while Redis was down');
    await step('getPhoto(6) once Redis is back', cache.getPhoto(6));
    const before = photoReads(db);
    await step('getPhoto(6) again', cache.getPhoto(6));
    expect(
      photoReads(db) - before,
      'Redis is back, but the second read of photo 6 went to the database again: after an outage the cache ' +
        'must be used again (a failed command is a miss for that command, not for ever)',
    ).toBe(0);
  });

  it('removes a copy made stale during the outage for every web server, soon after Redis is back', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const writer = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    const other = createPhotoCache({ redis: store.connect(), pool: db.connect(), ttlSeconds: 60 });
    await step('the other server reads photo 7', other.getPhoto(7));
    store.stop();
    await step('renamePhoto(7) with Redis down', writer.renamePhoto(7, 'renamed in the outage'));
    store.start();
    let seen: string | undefined;
    await until(
      async () => {
        seen = (await other.getPhoto(7))?.title;
        return seen === 'renamed in the outage';
      },
      3000,
      () =>
        `Redis is back, but another web server still reads "${seen}" from the copy the rename could not delete, ` +
        'although the writer served nothing since: keep trying the failed deletion in the background until ' +
        'Redis takes it (a copy expires by itself only after ttlSeconds, 60 here)',
    );
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
    await within(
      cache.renamePhoto(6, 'while hung'),
      2000,
      'renamePhoto never returned while Redis hung: give the deletion a short timeout too',
    );
  });
});
