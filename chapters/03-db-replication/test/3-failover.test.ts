/**
 * Task 3 — failover. When the primary goes offline, the most up-to-date replica becomes the primary, the
 * others follow it, and writes go on. Semi-synchronous replication loses no acknowledged write doing so;
 * asynchronous replication can, and a recovery step must say which.
 */
import { describe, expect, it } from 'vitest';
import { photosOn, startCluster } from './nodes.js';

describe('Failover: the primary stops, the service goes on', () => {
  it('promotes the most up-to-date replica; the other follows it; writes continue', async () => {
    const { cluster, nodes } = await startCluster('async');
    for (let i = 0; i < 5; i++) await cluster.addPhoto({ owner: 'ana', title: `before ${i}` });
    await cluster.sync();
    await nodes.db3.stop();
    for (let i = 5; i < 10; i++) await cluster.addPhoto({ owner: 'ana', title: `before ${i}` });
    await cluster.sync();
    await nodes.db3.start();
    // db2 has all ten writes, db3 only the first five. Now the primary dies.
    await nodes.db1.stop();

    await cluster.addPhoto({ owner: 'ana', title: 'during failover' }).catch(() => undefined);
    const after = await cluster.addPhoto({ owner: 'ana', title: 'after failover' });
    expect(after.title, 'writes continue on the new primary').toBe('after failover');
    expect(
      cluster.primary(),
      'db2 had applied all ten writes and db3 five: promote db2, or five writes are lost',
    ).toBe('db2');

    await cluster.sync();
    const titles = (await photosOn(nodes.db2)).map((p) => p.title);
    for (let i = 0; i < 10; i++)
      expect(titles, 'every write from before the failover survives').toContain(`before ${i}`);
    expect(await photosOn(nodes.db3), 'db3 now follows db2: after sync() it holds the same rows').toEqual(
      await photosOn(nodes.db2),
    );
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
    await cluster.addPhoto({ owner: 'ana', title: 'second on the new primary' });

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
