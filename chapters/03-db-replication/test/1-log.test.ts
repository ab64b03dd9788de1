/**
 * Task 1 — the change log. Every write on the primary becomes an entry with the next sequence number;
 * replicas pull the entries after their own position and apply them in order, exactly once in effect.
 */
import { describe, expect, it } from 'vitest';
import { pause } from '#kit/wait';
import type { Photo } from '../src/cluster.js';
import { asRow, caughtUp, outcome, photosOn, startCluster } from './nodes.js';

describe('Change log: replicas copy the primary', () => {
  it('ships every write, in order, and shows each node’s position (the replication lag)', async () => {
    const { cluster, nodes } = await startCluster('async');
    const photos = [];
    for (let i = 1; i <= 8; i++)
      photos.push(await cluster.addPhoto({ owner: i % 2 ? 'ana' : 'bo', title: `photo ${i}` }));
    for (const p of photos.slice(0, 4)) await cluster.renamePhoto(p.id, `${p.title} (edited)`);

    expect(
      await cluster.positions(),
      'async mode without pullIntervalMs: 12 writes are 12 log entries on the primary (numbered from 1); the replicas have pulled nothing yet',
    ).toEqual({ db1: 12, db2: 0, db3: 0 });
    const primary = await photosOn(nodes.db1);
    const unrenamed = photos.slice(4);
    expect(
      unrenamed.map(asRow),
      'addPhoto resolves with the photo as the primary stored it (id, owner, title, created_at)',
    ).toEqual(unrenamed.map((p) => primary.find((row) => row.id === p.id)));
    expect(
      primary.filter((p) => p.title.endsWith('(edited)')).length,
      'four photos were renamed on the primary',
    ).toBe(4);

    await cluster.sync();
    expect(await cluster.positions(), 'after sync() every node has applied all 12 entries').toEqual({
      db1: 12,
      db2: 12,
      db3: 12,
    });
    expect(
      await photosOn(nodes.db2),
      'db2 must hold exactly the primary’s rows (ids, titles, timestamps): an entry skipped, applied out of order or recomputed shows here',
    ).toEqual(primary);
    expect(await photosOn(nodes.db3), 'db3 must hold exactly the primary’s rows').toEqual(primary);
  });

  it('ships values, not functions: ids and timestamps are the primary’s, not recomputed on the replica', async () => {
    const { cluster, nodes } = await startCluster('async');
    for (let i = 0; i < 3; i++) await cluster.addPhoto({ owner: 'ana', title: `t${i}` });
    await pause(20); // the clock moves on, so that a replica that runs now() itself gets another time
    await cluster.sync();
    expect(
      await photosOn(nodes.db2),
      'created_at on a replica must be the value the primary stored: ship the row’s values, not the SQL that made it',
    ).toEqual(await photosOn(nodes.db1));
  });

  it('renaming a photo that does not exist changes nothing: undefined, and no log entry', async () => {
    const { cluster } = await startCluster('async');
    const photo = await cluster.addPhoto({ owner: 'ana', title: 'only one' });
    expect(
      await cluster.renamePhoto(photo.id + 1000, 'nobody'),
      'renamePhoto of an id the primary does not have resolves with undefined',
    ).toBeUndefined();
    expect(
      (await cluster.positions()).db1,
      'a rename that found no photo writes no log entry: the primary stays at position 1',
    ).toBe(1);
  });

  it('applies idempotently: the same entries pulled again change nothing', async () => {
    const { cluster, nodes } = await startCluster('async');
    for (let i = 0; i < 6; i++) await cluster.addPhoto({ owner: 'bo', title: `p${i}` });
    await Promise.all([cluster.sync(), cluster.sync(), cluster.sync()]);
    await cluster.sync();
    expect(
      await cluster.positions(),
      'after concurrent syncs every node is at position 6, no further',
    ).toEqual({ db1: 6, db2: 6, db3: 6 });
    const primary = await photosOn(nodes.db1);
    expect(await photosOn(nodes.db2), 'three syncs at once must not duplicate or lose a row on db2').toEqual(
      primary,
    );
    expect(await photosOn(nodes.db3), 'nor on db3').toEqual(primary);
  });

  it('skips a replica that does not answer, which shows as null, and catches it up once it is back', async () => {
    const { cluster, nodes } = await startCluster('async');
    await cluster.addPhoto({ owner: 'ana', title: 'before' });
    await nodes.db3.stop();
    for (let i = 0; i < 3; i++) await cluster.addPhoto({ owner: 'ana', title: `while db3 is down ${i}` });
    expect(
      await outcome(cluster.sync().then(() => 'resolved')),
      'sync() with db3 stopped: a replica that does not answer is skipped, the others still pull',
    ).toBe('resolved');
    expect(
      await outcome(cluster.positions()),
      'positions(): db2 caught up, db3 does not answer (null, not an error)',
    ).toEqual({
      db1: 4,
      db2: 4,
      db3: null,
    });
    await nodes.db3.start();
    await cluster.sync();
    expect(
      await photosOn(nodes.db3),
      'db3 answers again: the next sync() pulls what it missed, from its own position',
    ).toEqual(await photosOn(nodes.db1));
  });

  it('lets async replicas catch up by themselves at their pull interval', async () => {
    const { cluster, nodes } = await startCluster('async', { pullIntervalMs: 20 });
    for (let i = 0; i < 6; i++) await cluster.addPhoto({ owner: 'ana', title: `auto ${i}` });
    const positions = await caughtUp(cluster, ['db1', 'db2', 'db3']);
    expect(positions.db2, 'replicas pull on their own every pullIntervalMs').toBe(6);
    expect(await photosOn(nodes.db3)).toEqual(await photosOn(nodes.db1));
  });

  it('orders concurrent writes into one log, and applies many changes to one row in order', async () => {
    const { cluster, nodes } = await startCluster('async');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => outcome(cluster.addPhoto({ owner: 'ana', title: `burst ${i}` }))),
    );
    expect(
      results.filter((r) => typeof r === 'string'),
      'twelve concurrent writes must all succeed, each with the next sequence number: let one write at a time take a number (a queue or a lock), or two take the same one',
    ).toEqual([]);
    const photos = results as Photo[];
    expect(new Set(photos.map((p) => p.id)).size, 'twelve concurrent writes get twelve different ids').toBe(
      12,
    );
    const target = photos[0]?.id as number;
    for (let i = 1; i <= 12; i++) await cluster.renamePhoto(target, `version ${i}`);
    expect(
      (await cluster.positions()).db1,
      '12 inserts and 12 renames: 24 entries, numbered without gaps',
    ).toBe(24);
    await cluster.sync();
    const primary = await photosOn(nodes.db1);
    expect(primary.find((p) => p.id === target)?.title).toBe('version 12');
    for (const replica of [nodes.db2, nodes.db3]) {
      expect(
        await photosOn(replica),
        'twelve renames of one photo: a replica that applies entries in parallel or out of order ends on another version',
      ).toEqual(primary);
    }
  });
});
