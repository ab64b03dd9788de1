/**
 * Task 2 — the router. Writes go to the primary; reads are spread over the replicas, which is the point of
 * having them. A client that has just written must read its own write, even from a lagging system.
 */
import { describe, expect, it } from 'vitest';
import { readsDuring, startCluster } from './nodes.js';

describe('Router: writes to the primary, reads to the replicas', () => {
  it('spreads reads over the replicas in turn and leaves the primary to the writes', async () => {
    const { cluster, nodes } = await startCluster('async');
    const photo = await cluster.addPhoto({ owner: 'ana', title: 'harbour' });
    await cluster.sync();
    const single = await readsDuring(nodes, async () => {
      for (let i = 0; i < 20; i++)
        expect(await cluster.getPhoto(photo.id)).toMatchObject({ title: 'harbour' });
    });
    expect(
      single.db1,
      `getPhoto: the replicas are up to date, so no read should reach the primary (reads: ${JSON.stringify(single)})`,
    ).toBe(0);
    expect(
      Math.min(single.db2, single.db3),
      `getPhoto: 20 reads, taken by the replicas in turn (reads: ${JSON.stringify(single)})`,
    ).toBeGreaterThanOrEqual(5);
    const lists = await readsDuring(nodes, async () => {
      for (let i = 0; i < 20; i++)
        expect((await cluster.listPhotos('ana')).map((p) => p.title)).toEqual(['harbour']);
    });
    expect(
      lists.db1,
      `listPhotos is a read too: none should reach the primary (reads: ${JSON.stringify(lists)})`,
    ).toBe(0);
    expect(
      Math.min(lists.db2, lists.db3),
      `listPhotos: 20 reads, taken by the replicas in turn (reads: ${JSON.stringify(lists)})`,
    ).toBeGreaterThanOrEqual(5);
  });

  it('reads a client’s own write at once, from the primary while the replicas lag, and from replicas after', async () => {
    const { cluster, nodes } = await startCluster('async');
    const session = cluster.session();
    const photo = await cluster.addPhoto({ owner: 'bo', title: 'just posted' }, session);
    expect(
      session.lastWrite,
      'a write made with a session records its log position in session.lastWrite (here the first entry: 1)',
    ).toBe(1);
    expect(
      await cluster.getPhoto(photo.id, session),
      'the replicas have not pulled yet: a read with the writer’s session must still find the photo (read-your-writes)',
    ).toMatchObject({ id: photo.id, title: 'just posted' });
    expect(
      (await cluster.listPhotos('bo', session)).map((p) => p.title),
      'listPhotos with the session must show the photo too',
    ).toEqual(['just posted']);

    await cluster.sync();
    const after = await readsDuring(nodes, async () => {
      for (let i = 0; i < 10; i++) await cluster.getPhoto(photo.id, session);
    });
    expect(
      after.db1,
      `once the replicas have applied the session’s write, its reads go back to the replicas (reads: ${JSON.stringify(after)})`,
    ).toBe(0);

    await cluster.renamePhoto(photo.id, 'just renamed', session);
    expect(session.lastWrite, 'a rename made with the session moves session.lastWrite to its entry (2)').toBe(
      2,
    );
    expect(
      await cluster.getPhoto(photo.id, session),
      'the replicas still have the old title: a read with the session must see its own rename (a rename is a write too)',
    ).toMatchObject({ title: 'just renamed' });
  });

  it('serves a session from a replica that has its write, never from one that lags', async () => {
    const { cluster, nodes } = await startCluster('async');
    const photo = await cluster.addPhoto({ owner: 'ana', title: 'v1' });
    await cluster.sync();
    await nodes.db3.stop();
    const session = cluster.session();
    await cluster.renamePhoto(photo.id, 'v2', session);
    await cluster.sync(); // db2 has v2; db3, stopped, still has v1
    await nodes.db3.start();
    const reads = await readsDuring(nodes, async () => {
      for (let i = 0; i < 10; i++) {
        expect(
          await cluster.getPhoto(photo.id, session),
          `read ${i} with the session: db3 came back without the session’s rename; only a replica that applied it may answer`,
        ).toMatchObject({ title: 'v2' });
      }
    });
    expect(
      reads.db1,
      `db2 has applied the session’s write, so it serves the session; the primary is for when no replica has (reads: ${JSON.stringify(reads)})`,
    ).toBe(0);
  });

  it('routes around a stopped replica, to the primary when none is left, and back once they catch up', async () => {
    const { cluster, nodes } = await startCluster('async');
    const photo = await cluster.addPhoto({ owner: 'ana', title: 'still readable' });
    await cluster.sync();
    await nodes.db2.stop();
    const withOne = await readsDuring(nodes, async () => {
      for (let i = 0; i < 20; i++) {
        expect(
          await cluster.getPhoto(photo.id).catch((error) => `rejected: ${error?.message}`),
          `read ${i} with db2 stopped: a read must not fail because a replica did`,
        ).toMatchObject({ title: 'still readable' });
      }
    });
    expect(
      withOne.db1,
      `with db2 stopped, db3 is still a replica: skip to it, do not put the reads on the primary (reads: ${JSON.stringify(withOne)})`,
    ).toBeLessThanOrEqual(1);
    await nodes.db3.stop();
    for (let i = 0; i < 10; i++) {
      expect(
        await cluster.getPhoto(photo.id).catch((error) => `rejected: ${error?.message}`),
        `read ${i} with both replicas stopped: the primary serves it`,
      ).toMatchObject({ title: 'still readable' });
    }

    await Promise.all([nodes.db2.start(), nodes.db3.start()]);
    await cluster.sync();
    const back = await readsDuring(nodes, async () => {
      for (let i = 0; i < 10; i++) await cluster.getPhoto(photo.id);
    });
    expect(
      Math.min(back.db2, back.db3),
      `both replicas answer again and have caught up (sync()): they take the reads again (reads: ${JSON.stringify(back)})`,
    ).toBeGreaterThanOrEqual(2);
    expect(back.db1, `and the primary is left to the writes (reads: ${JSON.stringify(back)})`).toBe(0);
  });
});
