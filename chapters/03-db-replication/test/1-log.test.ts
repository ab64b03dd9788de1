/**
 * Task 1 — the change log. Every write on the primary becomes an entry with the next sequence number;
 * replicas pull the entries after their own position and apply them in order, exactly once in effect.
 */
import { describe, expect, it } from 'vitest';
import { caughtUp, photosOn, startCluster } from './nodes.js';

describe('Change log: replicas copy the primary', () => {
  it('ships every write, in order, and shows each node’s position (the replication lag)', async () => {
    const { cluster, nodes } = await startCluster('async');
    const photos = [];
    for (let i = 1; i <= 20; i++)
      photos.push(await cluster.addPhoto({ owner: i % 2 ? 'ana' : 'bo', title: `photo ${i}` }));
    for (const p of photos.slice(0, 5)) await cluster.renamePhoto(p.id, `${p.title} (edited)`);

    expect(
      await cluster.positions(),
      'async mode without pullIntervalMs: 25 writes are 25 log entries on the primary; the replicas have pulled nothing yet',
    ).toEqual({ db1: 25, db2: 0, db3: 0 });
    await cluster.sync();
    expect(await cluster.positions(), 'after sync() every node has applied all 25 entries').toEqual({
      db1: 25,
      db2: 25,
      db3: 25,
    });

    const primary = await photosOn(nodes.db1);
    expect(
      primary.filter((p) => p.title.endsWith('(edited)')).length,
      'five photos were renamed on the primary',
    ).toBe(5);
    expect(
      await photosOn(nodes.db2),
      'db2 must hold exactly the primary’s rows (ids, titles, timestamps): an entry skipped, applied out of order or recomputed shows here',
    ).toEqual(primary);
    expect(await photosOn(nodes.db3), 'db3 must hold exactly the primary’s rows').toEqual(primary);
  });

  it('ships values, not functions: ids and timestamps are the primary’s, not recomputed on the replica', async () => {
    const { cluster, nodes } = await startCluster('async');
    for (let i = 0; i < 5; i++) await cluster.addPhoto({ owner: 'ana', title: `t${i}` });
    // Let the clock move on, so that a replica that runs now() itself gets another time.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cluster.sync();
    const primary = await photosOn(nodes.db1);
    expect(
      await photosOn(nodes.db2),
      'created_at on a replica must be the value the primary stored: ship the row’s values, not the SQL that made it',
    ).toEqual(primary);
  });

  it('applies idempotently: the same entries pulled again change nothing', async () => {
    const { cluster, nodes } = await startCluster('async');
    for (let i = 0; i < 10; i++) await cluster.addPhoto({ owner: 'bo', title: `p${i}` });
    await Promise.all([cluster.sync(), cluster.sync(), cluster.sync()]);
    await cluster.sync();
    expect(
      await cluster.positions(),
      'after concurrent syncs every node is at position 10, no further',
    ).toEqual({
      db1: 10,
      db2: 10,
      db3: 10,
    });
    const primary = await photosOn(nodes.db1);
    expect(await photosOn(nodes.db2), 'three syncs at once must not duplicate or lose a row on db2').toEqual(
      primary,
    );
    expect(await photosOn(nodes.db3), 'nor on db3').toEqual(primary);
  });

  it('lets async replicas catch up by themselves at their pull interval', async () => {
    const { cluster, nodes } = await startCluster('async', { pullIntervalMs: 20 });
    for (let i = 0; i < 10; i++) await cluster.addPhoto({ owner: 'ana', title: `auto ${i}` });
    const positions = await caughtUp(cluster, ['db1', 'db2', 'db3']);
    expect(positions.db2, 'replicas pull on their own every pullIntervalMs').toBe(10);
    expect(await photosOn(nodes.db3)).toEqual(await photosOn(nodes.db1));
  });

  it('orders concurrent writes into one log, and applies many changes to one row in order', async () => {
    const { cluster, nodes } = await startCluster('async');
    const photos = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cluster.addPhoto({ owner: 'ana', title: `burst ${i}` })),
    );
    expect(new Set(photos.map((p) => p.id)).size, 'twenty concurrent writes get twenty different ids').toBe(
      20,
    );
    const target = photos[0]?.id as number;
    for (let i = 1; i <= 60; i++) await cluster.renamePhoto(target, `version ${i}`);
    expect(
      (await cluster.positions()).db1,
      '20 inserts and 60 renames: 80 entries, numbered without gaps',
    ).toBe(80);
    await cluster.sync();
    const primary = await photosOn(nodes.db1);
    expect(primary.find((p) => p.id === target)?.title).toBe('version 60');
    for (const replica of [nodes.db2, nodes.db3]) {
      expect(
        await photosOn(replica),
        'sixty renames of one photo: a replica that applies entries in parallel or out of order ends on another version',
      ).toEqual(primary);
    }
  });
});
