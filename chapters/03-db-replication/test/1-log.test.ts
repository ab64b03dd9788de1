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
      'db2 must hold exactly the primary’s rows: an update applied before its insert, or twice, shows here',
    ).toEqual(primary);
    expect(await photosOn(nodes.db3), 'db3 must hold exactly the primary’s rows').toEqual(primary);
  });

  it('ships values, not functions: ids and timestamps are the primary’s, not recomputed on the replica', async () => {
    const { cluster, nodes } = await startCluster('async');
    for (let i = 0; i < 5; i++) await cluster.addPhoto({ owner: 'ana', title: `t${i}` });
    // Let the clock move on, so that a replica that runs now() or its own sequence gets other values.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cluster.sync();
    const primary = await photosOn(nodes.db1);
    expect(
      await photosOn(nodes.db2),
      'ids and created_at on a replica must be the values the primary stored: ship the row, not the SQL that made it',
    ).toEqual(primary);
  });

  it('applies idempotently: the same entries pulled again change nothing', async () => {
    const { cluster, nodes } = await startCluster('async');
    for (let i = 0; i < 10; i++) await cluster.addPhoto({ owner: 'bo', title: `p${i}` });
    await Promise.all([cluster.sync(), cluster.sync(), cluster.sync()]);
    await cluster.sync();
    expect(await cluster.positions()).toEqual({ db1: 10, db2: 10, db3: 10 });
    const primary = await photosOn(nodes.db1);
    expect(
      await photosOn(nodes.db2),
      'three syncs at once: each entry must still be applied once (track what you applied)',
    ).toEqual(primary);
    expect(await photosOn(nodes.db3)).toEqual(primary);
  });

  it('lets async replicas catch up by themselves at their pull interval', async () => {
    const { cluster, nodes } = await startCluster('async', { pullIntervalMs: 20 });
    for (let i = 0; i < 10; i++) await cluster.addPhoto({ owner: 'ana', title: `auto ${i}` });
    const positions = await caughtUp(cluster, ['db1', 'db2', 'db3']);
    expect(positions.db2, 'replicas pull on their own every pullIntervalMs').toBe(10);
    expect(await photosOn(nodes.db3)).toEqual(await photosOn(nodes.db1));
  });
});
