/**
 * Task 3 — failover. When the primary goes offline, the most up-to-date replica becomes the primary, the
 * others follow it, and writes go on. Semi-synchronous replication loses no acknowledged write doing so;
 * asynchronous replication can, and a recovery step must say which. A node that was not there for the
 * failover may hold a history the new primary never received: it serves none of it.
 */
import { describe, expect, it } from 'vitest';
import type { Cluster, Photo } from '../src/cluster.js';
import {
  asRow,
  failoverLosingWrites,
  type Name,
  type Nodes,
  outcome,
  photosOn,
  readsDuring,
  startCluster,
} from './nodes.js';

/**
 * Every photo either node knows, read through the cluster twice (so that reads in turn reach every
 * replica), must be the primary's version; so must the owner's list.
 */
async function expectOnlyPrimaryData(
  cluster: Cluster,
  nodes: Nodes,
  primary: Name,
  other: Name,
  why: string,
) {
  const truth = await photosOn(nodes[primary]);
  const ids = new Set([...truth, ...(await photosOn(nodes[other]))].map((p) => p.id));
  for (const id of ids) {
    for (let i = 0; i < 2; i++) {
      expect(asRow(await cluster.getPhoto(id)), `getPhoto(${id}): ${why}`).toEqual(
        truth.find((p) => p.id === id),
      );
    }
  }
  for (let i = 0; i < 2; i++)
    expect((await cluster.listPhotos('ana')).map(asRow), `listPhotos('ana'): ${why}`).toEqual(
      truth.filter((p) => p.owner === 'ana'),
    );
}

describe('Failover: the primary stops, the service goes on', () => {
  for (const [ahead, behind] of [
    ['db2', 'db3'],
    ['db3', 'db2'],
  ] as const) {
    it(`promotes the most up-to-date replica (${ahead}); ${behind} follows it; writes continue`, async () => {
      const { cluster, nodes } = await startCluster('async');
      const photos: Photo[] = [];
      for (let i = 0; i < 4; i++) photos.push(await cluster.addPhoto({ owner: 'ana', title: `before ${i}` }));
      await cluster.sync();
      await nodes[behind].stop();
      for (const p of photos) await cluster.renamePhoto(p.id, `${p.title}, renamed`);
      await cluster.sync();
      await nodes[behind].start();
      // Both replicas hold four rows; ${ahead} has applied eight entries, ${behind} four. Now the primary dies.
      await nodes.db1.stop();

      await outcome(cluster.addPhoto({ owner: 'ana', title: 'during failover' }));
      expect(
        await outcome(cluster.addPhoto({ owner: 'ana', title: 'after failover' })),
        'the write after the one that met the dead primary must succeed on a promoted replica',
      ).toMatchObject({ title: 'after failover' });
      expect(
        cluster.primary(),
        `both replicas hold four rows, but ${ahead} has applied eight entries (four renames) and ${behind} four: promote the highest log position (row counts do not show renames), or the renames are lost`,
      ).toBe(ahead);

      await cluster.sync();
      const titles = (await photosOn(nodes[ahead])).map((p) => p.title);
      for (let i = 0; i < 4; i++)
        expect(titles, 'every write from before the failover survives').toContain(`before ${i}, renamed`);
      expect(
        await photosOn(nodes[behind]),
        `${behind} now follows ${ahead}: after sync() it holds the same rows`,
      ).toEqual(await photosOn(nodes[ahead]));
    });
  }

  it('semi-synchronous: acknowledges a write only once a replica has applied it', async () => {
    const { cluster, nodes } = await startCluster('semi-sync');
    for (let i = 0; i < 5; i++) {
      await cluster.addPhoto({ owner: 'ana', title: `s${i}` });
      const positions = await cluster.positions();
      expect(
        Math.max(positions.db2 ?? 0, positions.db3 ?? 0),
        `write ${i} was acknowledged: at least one replica must already be at the primary's position (${positions.db1})`,
      ).toBe(positions.db1);
    }
    for (const [down, up] of [
      ['db2', 'db3'],
      ['db3', 'db2'],
    ] as const) {
      await nodes[up].start();
      await nodes[down].stop();
      expect(
        await outcome(cluster.addPhoto({ owner: 'ana', title: `${down} down` })),
        `with ${down} stopped, ${up} can still acknowledge: the write succeeds (semi-sync waits for one replica, any one, not all)`,
      ).toMatchObject({ title: `${down} down` });
    }
    await nodes.db2.stop();
    const noReplica = await outcome(cluster.addPhoto({ owner: 'ana', title: 'no replica' }));
    expect(
      typeof noReplica === 'string' && !noReplica.includes('step did not finish') ? 'rejected' : noReplica,
      'with both replicas stopped no replica can apply the write: semi-sync must reject it (not acknowledge it, nor wait for a replica forever)',
    ).toBe('rejected');
  });

  it('semi-synchronous: no acknowledged write is lost when the primary dies mid-stream', async () => {
    const { cluster, nodes } = await startCluster('semi-sync');
    const acknowledged: string[] = [];
    let refused = 0;
    for (let i = 0; i < 24; i++) {
      if (i === 12) await nodes.db1.stop();
      await cluster.addPhoto({ owner: 'stream', title: `w${i}` }).then(
        (photo) => acknowledged.push(photo.title),
        (error) => {
          if (String(error?.message).startsWith('step did not finish')) throw error;
          refused += 1;
        },
      );
    }
    expect(
      refused,
      'only the write that met the dead primary may fail; the rest go to the new primary',
    ).toBeLessThanOrEqual(2);
    expect(['db2', 'db3'], 'a replica took the dead primary’s place').toContain(cluster.primary());
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
  });

  it('asynchronous: a failover loses what no replica had, and recovery reports exactly that, in log order', async () => {
    const { cluster, nodes } = await startCluster('async');
    const { replicated, unshipped } = await failoverLosingWrites(cluster, nodes);
    const promoted = cluster.primary() as Name;
    const titles = (await photosOn(nodes[promoted])).map((p) => p.title);
    expect(
      unshipped.filter((p) => titles.includes(p.title)),
      'async mode acknowledged five writes (three photos, two renames) the replicas never pulled: the failover loses them',
    ).toEqual([]);

    await nodes.db1.start();
    const report = await cluster.recover('db1');
    expect(report.node).toBe('db1');
    expect(
      report.unreplicated.map(asRow),
      'recover("db1") reports the photo of each log entry the old primary had beyond the promotion, in log order (renames too: a lost rename is a lost write), so that nothing vanishes silently',
    ).toEqual(unshipped.map(asRow));
    await cluster.sync();
    expect(
      await photosOn(nodes.db1),
      `db1 rejoins as a replica of the new primary (${promoted}) and holds its rows, not its own lost ones`,
    ).toEqual(await photosOn(nodes[promoted]));
    const reads = await readsDuring(nodes, async () => {
      for (let i = 0; i < 10; i++) await cluster.getPhoto(replicated[1]?.id as number);
    });
    expect(
      reads.db1,
      `a recovered node is a replica: it takes reads again (reads: ${JSON.stringify(reads)})`,
    ).toBeGreaterThan(0);
  });

  it('the old primary, back before recover(), takes no writes, serves none of its lost writes and pulls nothing', async () => {
    const { cluster, nodes } = await startCluster('async');
    const { unshipped } = await failoverLosingWrites(cluster, nodes);
    const promoted = cluster.primary() as Name;
    await nodes.db1.start();
    const photo = await cluster.addPhoto({ owner: 'ana', title: 'after db1 came back' });
    await cluster.sync();
    expect(
      cluster.primary(),
      'db1 answers again, but the cluster has a new primary: no way back, no two primaries',
    ).toBe(promoted);
    expect(
      (await photosOn(nodes[promoted])).map((p) => p.title),
      `writes go on to ${promoted} after db1 came back`,
    ).toContain(photo.title);
    await expectOnlyPrimaryData(
      cluster,
      nodes,
      promoted,
      'db1',
      'db1’s history forked at the promotion (it has writes no one else has, under ids the new primary reused): until recover("db1") it serves no reads',
    );
    for (let i = 0; i < 4; i++) await cluster.addPhoto({ owner: 'ana', title: `later ${i}` });
    await cluster.sync();
    expect(
      (await cluster.recover('db1')).unreplicated.map(asRow),
      `db1 must not pull ${promoted}'s entries on top of its forked log before recover(): the report is still exactly its own lost writes`,
    ).toEqual(unshipped.map(asRow));
  });

  it('a replica that missed the failover while ahead of the new primary serves nothing of its history until recover()', async () => {
    const { cluster, nodes } = await startCluster('async');
    const shared = await cluster.addPhoto({ owner: 'ana', title: 'shared 0' });
    for (let i = 1; i < 3; i++) await cluster.addPhoto({ owner: 'ana', title: `shared ${i}` });
    await cluster.sync();
    await nodes.db2.stop();
    const onlyDb3: Photo[] = [];
    for (let i = 0; i < 2; i++) onlyDb3.push(await cluster.addPhoto({ owner: 'ana', title: `db1+db3 ${i}` }));
    onlyDb3.push((await cluster.renamePhoto(shared.id, 'shared 0, renamed on db1+db3')) as Photo);
    await cluster.sync(); // db3 has six entries, db2 (stopped) three
    await nodes.db2.start();
    await nodes.db3.stop();
    await nodes.db1.stop();
    await outcome(cluster.addPhoto({ owner: 'ana', title: 'met the dead primary' }));
    expect(
      await outcome(cluster.addPhoto({ owner: 'ana', title: 'first on db2' })),
      'db2 is the only replica that answers: promote it and go on',
    ).toMatchObject({ title: 'first on db2' });
    expect(cluster.primary()).toBe('db2');
    for (let i = 2; i <= 4; i++) await cluster.addPhoto({ owner: 'ana', title: `write ${i} on db2` });
    // db2 is now at position 7, beyond db3's 6: positions alone no longer show db3's fork.

    await nodes.db3.start();
    await cluster.sync();
    await expectOnlyPrimaryData(
      cluster,
      nodes,
      'db2',
      'db3',
      'db3 was stopped during the failover while ahead of db2: its last three entries never reached db2, which reused their ids and sequence numbers; a forked replica must not serve reads (nor pull on top of its fork) until recover("db3")',
    );
    const report = await cluster.recover('db3');
    expect(
      report.unreplicated.map(asRow),
      'recover("db3") reports what only db3 had: the photos of its entries after the promotion position, in log order',
    ).toEqual(onlyDb3.map(asRow));
    expect(await photosOn(nodes.db3), 'after recover("db3") db3 is a copy of the new primary').toEqual(
      await photosOn(nodes.db2),
    );
  });

  it('recover() of a node that was only ever a replica reports nothing and catches it up; an unknown name is refused', async () => {
    const { cluster, nodes } = await startCluster('async');
    const first = await cluster.addPhoto({ owner: 'ana', title: 'p0' });
    await cluster.addPhoto({ owner: 'ana', title: 'p1' });
    await cluster.sync();
    await nodes.db3.stop();
    await cluster.addPhoto({ owner: 'ana', title: 'while db3 was down' });
    await cluster.renamePhoto(first.id, 'p0, renamed while db3 was down');
    await nodes.db3.start();
    expect(
      await cluster.recover('db3'),
      'db3 never took writes: it has nothing the primary lacks, so the report is empty',
    ).toEqual({ node: 'db3', unreplicated: [] });
    expect(
      await photosOn(nodes.db3),
      'recover("db3") lets a lagging replica catch up: once it resolves, db3 holds the primary’s rows',
    ).toEqual(await photosOn(nodes.db1));
    const unknown = await outcome(cluster.recover('db9'));
    expect(
      typeof unknown === 'string' ? unknown : `resolved ${JSON.stringify(unknown)}`,
      'recover() of a name that is not in the cluster rejects with an error that names it',
    ).toMatch(/^rejected: .*db9/);
  });
});
