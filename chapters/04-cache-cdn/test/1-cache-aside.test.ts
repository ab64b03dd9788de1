/**
 * Task 1 — cache-aside. The web server asks the cache first; on a miss it reads the database and keeps the
 * answer in Redis for a while. A write goes to the database first, then removes the cached copy.
 */

import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';
import { pause, step, until } from '#kit/wait';
import { createPhotoCache } from '../src/photo-cache.js';
import { photoDatabase, photoReads, titleIn } from './fixtures.js';

/** An UPDATE of the photos table, wherever it stands in the statement. */
const UPDATE = /\bupdate\s+(?:"?public"?\.)?"?photos\b/i;

describe('Cache-aside over Redis', () => {
  it('serves the second read of a photo from the cache, not the database', async () => {
    const db = await photoDatabase(10);
    const cache = createPhotoCache({ redis: createRedis().client, pool: db.pool, ttlSeconds: 60 });
    expect(
      await step('getPhoto(3) on a cold cache', cache.getPhoto(3)),
      'the first read finds the photo in the database',
    ).toEqual({ id: 3, owner: 'user3', title: 'photo 3' });
    const before = photoReads(db);
    expect(await step('getPhoto(3) again', cache.getPhoto(3))).toEqual({
      id: 3,
      owner: 'user3',
      title: 'photo 3',
    });
    expect(
      photoReads(db) - before,
      'the second read of photo 3 must come from Redis: no database query',
    ).toBe(0);
    expect(
      await step('getPhoto(999)', cache.getPhoto(999)),
      'a photo that does not exist is undefined',
    ).toBeUndefined();
    expect(
      await step('renamePhoto(999, …)', cache.renamePhoto(999, 'nobody')),
      'renaming a photo that does not exist gives undefined (and creates nothing)',
    ).toBeUndefined();
    expect(await step('getPhoto(999) after the rename', cache.getPhoto(999))).toBeUndefined();
  });

  it('gives every key it writes an expiry no longer than ttlSeconds', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const cache = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 30 });
    for (let id = 1; id <= 5; id++) await step(`getPhoto(${id})`, cache.getPhoto(id));
    await step('renamePhoto(2, …)', cache.renamePhoto(2, 'renamed'));
    await step('getPhoto(2) after the rename', cache.getPhoto(2));
    await step('getPhoto(999)', cache.getPhoto(999));
    const keys = await store.keys();
    expect(keys.length, 'five photos were read: their copies must be in Redis').toBeGreaterThanOrEqual(5);
    for (const { key, ttl } of keys) {
      expect(
        ttl,
        `key "${key}" has TTL ${ttl}: every key the cache writes must expire (SET … EX ttlSeconds), or it can stay stale forever`,
      ).toBeGreaterThan(0);
      expect(ttl, `key "${key}" lives longer than ttlSeconds (30)`).toBeLessThanOrEqual(30);
    }
  });

  it('never serves a stale copy after a write, on any web server sharing the cache', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const serverA = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    const serverB = createPhotoCache({ redis: store.connect(), pool: db.connect(), ttlSeconds: 60 });
    await step('server A reads photo 1', serverA.getPhoto(1));
    await step('server B reads photo 1', serverB.getPhoto(1));
    expect(
      await step('server A renames photo 1', serverA.renamePhoto(1, 'sunrise')),
      'the write returns the updated photo',
    ).toEqual({ id: 1, owner: 'user1', title: 'sunrise' });
    expect(
      (await step('server A reads photo 1', serverA.getPhoto(1)))?.title,
      'the server that wrote reads its write',
    ).toBe('sunrise');
    expect(
      (await step('server B reads photo 1', serverB.getPhoto(1)))?.title,
      'another web server must not serve its old copy: the cached entry lives in Redis and the write removed it',
    ).toBe('sunrise');
    expect(await titleIn(db, 1), 'the write reached the database').toBe('sunrise');
  });

  it('writes the database first and invalidates after, so a read during the write cannot pin the old value', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const writer = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    const reader = createPhotoCache({ redis: store.connect(), pool: db.connect(), ttlSeconds: 60 });
    await step('the reader reads photo 2', reader.getPhoto(2));

    const held = db.hold(UPDATE);
    const writing = writer.renamePhoto(2, 'renamed');
    await step('the rename sends its UPDATE to the database', held.reached);
    // The UPDATE is held at the database. A reader meanwhile may see the old title, and may cache it.
    await step('the reader reads photo 2 while the UPDATE waits', reader.getPhoto(2));
    held.release();
    await step('the rename finishes', writing);
    expect(
      (await step('the reader reads photo 2 after the rename', reader.getPhoto(2)))?.title,
      'a read after the write returned the old title. Invalidating before the database write lets a concurrent ' +
        'read put the old title back in Redis: update the database first, then delete the cached copy',
    ).toBe('renamed');
  });

  it('acknowledges a rename only once the database has it: the cache never holds the only copy', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const cache = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    await step('getPhoto(4)', cache.getPhoto(4));
    const held = db.hold(UPDATE);
    let acknowledged = false;
    const writing = cache.renamePhoto(4, 'kept').then((photo) => {
      acknowledged = true;
      return photo;
    });
    const first = await step(
      'renamePhoto(4) either reaches the database or returns',
      Promise.race([held.reached.then(() => 'the database'), writing.then(() => 'the caller')]),
    );
    await pause(50); // a window in which nothing may be acknowledged
    expect(
      first === 'the database' && !acknowledged,
      'renamePhoto returned before the database had the new title (write-behind): Redis is volatile memory, ' +
        'never keep the only copy of anything there. Write the database, then acknowledge',
    ).toBe(true);
    held.release();
    expect(await step('the rename finishes once the UPDATE is done', writing)).toMatchObject({
      title: 'kept',
    });
    store.stop(); // the cache is lost: what was acknowledged must still be there
    expect(await titleIn(db, 4), 'an acknowledged rename is in the database').toBe('kept');
  });

  it('leaves the old title everywhere when the database refuses a rename', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const writer = createPhotoCache({ redis: store.client, pool: db.pool, ttlSeconds: 60 });
    const reader = createPhotoCache({ redis: store.connect(), pool: db.connect(), ttlSeconds: 60 });
    await step('the reader reads photo 3', reader.getPhoto(3));

    const held = db.hold(UPDATE);
    const writing = writer.renamePhoto(3, 'never committed').catch(() => 'refused');
    await step('the rename sends its UPDATE to the database', held.reached);
    expect(
      (await step('the reader reads photo 3 while the UPDATE waits', reader.getPhoto(3)))?.title,
      'while the UPDATE waits at the database, another server was served the new title, which the database ' +
        'does not have (and may never have): the cache must not be written before the database. Update the ' +
        'database first, then delete the cached copy',
    ).toBe('photo 3');
    await db.stop(); // the database goes away with the UPDATE on its way: the write fails
    held.release();
    await step('renamePhoto returns or fails once the database refused it', writing);
    await db.start();
    for (const [name, cache] of [
      ['the writer', writer],
      ['the reader', reader],
    ] as const) {
      expect(
        (await step(`${name} reads photo 3`, cache.getPhoto(3)))?.title,
        `${name} read a title that the database refused: a cache written before (or instead of) the database ` +
          'serves a value that never existed. Update the database first, then delete the cached copy',
      ).toBe('photo 3');
    }
  });

  it('deletes the copy instead of writing the new value, so that two renames that cross leave no stale copy', async () => {
    const db = await photoDatabase(10);
    const store = createRedis();
    const clientA = store.connect();
    const serverA = createPhotoCache({ redis: clientA, pool: db.connect(), ttlSeconds: 60 });
    const serverB = createPhotoCache({ redis: store.connect(), pool: db.connect(), ttlSeconds: 60 });
    await step('server A reads photo 5', serverA.getPhoto(5));
    await step('server B reads photo 5', serverB.getPhoto(5));

    // Server A stands still right after its UPDATE (a long pause, a slow link to Redis) while B renames too.
    const held = db.hold(UPDATE);
    const writingA = serverA.renamePhoto(5, 'from A');
    await step('server A sends its UPDATE to the database', held.reached);
    store.freeze(clientA);
    held.release();
    await until(
      async () => (await titleIn(db, 5)) === 'from A',
      3000,
      'server A’s UPDATE never reached the database',
    );
    await step('server B renames photo 5', serverB.renamePhoto(5, 'from B'));
    const delivered = clientA.ping(); // after A's waiting commands, in order
    store.thaw(clientA);
    await step('server A’s Redis commands go through once it runs again', delivered);
    await step('server A’s rename finishes', writingA);

    const inDatabase = await titleIn(db, 5);
    expect(inDatabase, 'B renamed last').toBe('from B');
    for (const [name, cache] of [
      ['server A', serverA],
      ['server B', serverB],
    ] as const) {
      const title = (await step(`${name} reads photo 5`, cache.getPhoto(5)))?.title;
      expect(
        title,
        `${name} read "${title}" while the database holds "${inDatabase}": A wrote its new value into Redis after ` +
          'B had, so two writers that crossed left the older value cached. Delete the cached copy after the ' +
          'database write; the next read loads the current row',
      ).toBe(inDatabase);
    }
  });
});
