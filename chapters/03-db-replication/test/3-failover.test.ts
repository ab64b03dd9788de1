/**
 * Task 3 — failover. When the primary goes offline, the most up-to-date replica becomes the primary, the
 * others follow it, and writes go on. Semi-synchronous replication loses no acknowledged write doing so;
 * asynchronous replication can, and a recovery step must say which.
 */
import { describe, expect, it } from 'vitest';
import { photosOn, startCluster } from './nodes.js';

describe('Failover: the primary stops, the service goes on', () => {
  for (const [ahead, behind] of [
    ['db2', 'db3'],
    ['db3', 'db2'],
  ] as const) {
    it(`promotes the most up-to-date replica (${ahead}); ${behind} follows it; writes continue`, async () => {
      const { cluster, nodes } = await startCluster('async');
      for (let i = 0; i < 5; i++) await cluster.addPhoto({ owner: 'ana', title: `before ${i}` });
      await cluster.sync();
      await nodes[behind].stop();
      for (let i = 5; i < 10; i++) await cluster.addPhoto({ owner: 'ana', title: `before ${i}` });
      await cluster.sync();
      await nodes[behind].start();
      // ${ahead} has all ten writes, ${behind} only the first five. Now the primary dies.
      await nodes.db1.stop();

      await cluster.addPhoto({ owner: 'ana', title: 'during failover' }).catch(() => undefined);
      await expect(
        cluster.addPhoto({ owner: 'ana', title: 'after failover' }),
        'the write after the one that met the dead primary must succeed on a promoted replica',
      ).resolves.toMatchObject({ title: 'after failover' });
      expect(
        cluster.primary(),
        `${ahead} had applied all ten writes and ${behind} five: promote ${ahead}, or five writes are lost`,
      ).toBe(ahead);

      await cluster.sync();
      const titles = (await photosOn(nodes[ahead])).map((p) => p.title);
      for (let i = 0; i < 10; i++) {
        expect(titles, 'every write from before the failover survives').toContain(`before ${i}`);
      }
      expect(
        await photosOn(nodes[behind]),
        `${behind} now follows ${ahead}: after sync() it holds the same rows`,
      ).toEqual(await photosOn(nodes[ahead]));
    });
  }

  it('semi-synchronous: acknowledges a write only once a replica has applied it', async () => {
    const { cluster, nodes } = await startCluster('semi-sync');
    for (let i = 0; i < 15; i++) {
      await cluster.addPhoto({ owner: 'ana', title: `s${i}` });
      const positions = await cluster.positions();
      expect(
        Math.max(positions.db2 ?? 0, positions.db3 ?? 0),
        `write ${i} was acknowledged: at least one replica must already be at the primary's position (${positions.db1})`,
      ).toBe(positions.db1);
    }
    await nodes.db3.stop();
    await expect(
      cluster.addPhoto({ owner: 'ana', title: 'one replica down' }),
      'with one replica stopped, the other can still acknowledge: the write succeeds',
    ).resolves.toMatchObject({ title: 'one replica down' });
    await nodes.db2.stop();
    await expect(
      cluster.addPhoto({ owner: 'ana', title: 'no replica' }),
      'with both replicas stopped no replica can apply the write: semi-sync must not acknowledge it',
    ).rejects.toThrow();
  });

  it('semi-synchronous: no acknowledged write is lost when the primary dies mid-stream', async () => {
    const { cluster, nodes } = await startCluster('semi-sync');
    const acknowledged: string[] = [];
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      if (i === 100) await nodes.db1.stop();
      await cluster
        .addPhoto({ owner: 'stream', title: `w${i}` })
        .then((photo) => acknowledged.push(photo.title))
        .catch(() => {
          refused += 1;
        });
    }
    expect(
      refused,
      'only the write that met the dead primary may fail; the rest go to the new primary',
    ).toBeLessThanOrEqual(2);
    await cluster.sync();
    const newPrimary = nodes[cluster.primary() as 'db2' | 'db3'];
    const survived = new Set((await photosOn(newPrimary)).map((p) => p.title));
    const lost = acknowledged.filter((t) => !survived.has(t));
    expect(
      lost,
      'semi-sync acknowledges a write only after a replica applied it, so the promoted replica must have every acknowledged write',
    ).toEqual([]);
    const other = cluster.primary() === 'db2' ? nodes.db3 : nodes.db2;
    expect(await photosOn(other), 'the remaining replica follows the new primary').toEqual(
      await photosOn(newPrimary),
    );
  }, 30_000); // 200 semi-synchronous writes, each waiting for a replica: slow on a loaded machine

  it('asynchronous: a failover loses what no replica had, and recovery reports exactly that', async () => {
    const { cluster, nodes } = await startCluster('async');
    for (let i = 0; i < 5; i++) await cluster.addPhoto({ owner: 'ana', title: `replicated ${i}` });
    await cluster.sync();
    const unshipped: string[] = [];
    for (let i = 0; i < 10; i++)
      unshipped.push((await cluster.addPhoto({ owner: 'ana', title: `unshipped ${i}` })).title);
    await nodes.db1.stop();
    await cluster.addPhoto({ owner: 'ana', title: 'first on the new primary' }).catch(() => undefined);
    await expect(
      cluster.addPhoto({ owner: 'ana', title: 'second on the new primary' }),
      'after the primary stopped, writes must go on on a promoted replica',
    ).resolves.toBeDefined();

    const newPrimary = nodes[cluster.primary() as 'db2' | 'db3'];
    const titles = (await photosOn(newPrimary)).map((p) => p.title);
    expect(
      unshipped.filter((t) => !titles.includes(t)),
      'async mode acknowledged ten writes the replicas never pulled: the failover loses them (the test shows which)',
    ).toEqual(unshipped);

    await nodes.db1.start();
    const report = await cluster.recover('db1');
    expect(
      report.unreplicated.map((p) => p.title).sort(),
      'recover("db1") must report every write only the old primary had, so that nothing vanishes silently',
    ).toEqual([...unshipped].sort());
    await cluster.sync();
    expect(
      await photosOn(nodes.db1),
      'db1 rejoins as a replica of the new primary and holds its rows',
    ).toEqual(await photosOn(newPrimary));
  });
});
