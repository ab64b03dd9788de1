/**
 * Task 2 — the router. Writes go to the primary; reads are spread over the replicas, which is the point of
 * having them. A client that has just written must read its own write, even from a lagging system.
 */
import { describe, expect, it } from 'vitest';
import { photoReads, startCluster } from './nodes.js';

describe('Router: writes to the primary, reads to the replicas', () => {
  it('spreads reads over the replicas and leaves the primary to the writes', async () => {
    const { cluster, nodes } = await startCluster('async');
    const photo = await cluster.addPhoto({ owner: 'ana', title: 'harbour' });
    await cluster.sync();
    const before = { db1: photoReads(nodes.db1), db2: photoReads(nodes.db2), db3: photoReads(nodes.db3) };
    for (let i = 0; i < 40; i++) expect(await cluster.getPhoto(photo.id)).toMatchObject({ title: 'harbour' });
    const reads = {
      db1: photoReads(nodes.db1) - before.db1,
      db2: photoReads(nodes.db2) - before.db2,
      db3: photoReads(nodes.db3) - before.db3,
    };
    expect(
      reads.db1,
      `the replicas are up to date, so no read should reach the primary (reads: ${JSON.stringify(reads)})`,
    ).toBe(0);
    expect(
      Math.min(reads.db2, reads.db3),
      `both replicas share the reads: ${JSON.stringify(reads)}`,
    ).toBeGreaterThanOrEqual(10);
  });

  it('reads a client’s own write at once, from the primary while the replicas lag, and from replicas after', async () => {
    const { cluster, nodes } = await startCluster('async');
    const session = cluster.session();
    const photo = await cluster.addPhoto({ owner: 'bo', title: 'just posted' }, session);
    expect(
      await cluster.getPhoto(photo.id, session),
      'the replicas have not pulled yet: a read with the writer’s session must still find the photo (read-your-writes)',
    ).toMatchObject({ id: photo.id, title: 'just posted' });
    expect((await cluster.listPhotos('bo', session)).map((p) => p.title)).toEqual(['just posted']);

    await cluster.sync();
    const before = photoReads(nodes.db1);
    for (let i = 0; i < 10; i++) await cluster.getPhoto(photo.id, session);
    expect(
      photoReads(nodes.db1) - before,
      'once the replicas have applied the session’s write, its reads go back to the replicas',
    ).toBe(0);
  });

  it('routes around a stopped replica, and to the primary when none is left', async () => {
    const { cluster, nodes } = await startCluster('async');
    const photo = await cluster.addPhoto({ owner: 'ana', title: 'still readable' });
    await cluster.sync();
    await nodes.db2.stop();
    const before = photoReads(nodes.db1);
    for (let i = 0; i < 20; i++) {
      await expect(
        cluster.getPhoto(photo.id),
        `read ${i} with db2 stopped: a read must not fail because a replica did`,
      ).resolves.toMatchObject({ title: 'still readable' });
    }
    expect(
      photoReads(nodes.db1) - before,
      'with db2 stopped, db3 is still a replica: skip to it, do not put the reads on the primary',
    ).toBeLessThanOrEqual(1);
    expect((await cluster.positions()).db2, 'positions(): a node that does not answer is null').toBeNull();
    await nodes.db3.stop();
    for (let i = 0; i < 10; i++) {
      await expect(
        cluster.getPhoto(photo.id),
        `read ${i} with both replicas stopped: the primary serves it`,
      ).resolves.toMatchObject({ title: 'still readable' });
    }
  });
});
