/**
 * Task 4 — the celebrity problem (hotspot key). One user draws a large share of all reads, so the shard
 * that holds them is overloaded while the others idle. Find the hot key from access counts, give it a
 * shard of its own, and the busiest shard's load drops.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#kit/random';
import { difference, extraNode, locate, photoReads, rowsOn, seedUsers, startStore } from './shards.js';

const CELEBRITY = 7;
const USERS = 90;

describe('The celebrity problem', () => {
  it('detects the hot user and isolates them, after which the busiest shard’s load drops', async () => {
    const { store, nodes } = await startStore(3);
    const photos = await seedUsers(store, USERS, 2);
    const fanPhotos = [];
    for (let i = 0; i < 3; i++)
      fanPhotos.push(await store.addPhoto({ userId: CELEBRITY, title: `red carpet ${i}` }));
    for (const [i, photo] of fanPhotos.entries()) await store.like(photo.id, 10_000 + i);
    const celebrityPhotos = [...(photos.get(CELEBRITY) ?? []), ...fanPhotos.map((p) => p.id)].sort();

    /** Reads photo lists: half of them the celebrity's, half spread over everyone. */
    const workload = async (seed: number) => {
      const random = seededRandom(seed);
      let celebrityReads = 0;
      for (let i = 0; i < 600; i++) {
        const user = random() < 0.5 ? CELEBRITY : 1 + Math.floor(random() * USERS);
        if (user === CELEBRITY) celebrityReads += 1;
        await store.photosOf(user);
      }
      return celebrityReads;
    };
    const original = ['db1', 'db2', 'db3'];
    const busiest = (load: Record<string, number>) => Math.max(...original.map((n) => load[n] ?? 0));

    const home = (await locate(nodes)).users.get(CELEBRITY)?.[0] as string;
    let start = photoReads(nodes);
    await workload(11);
    const loadBefore = difference(photoReads(nodes), start);
    expect(
      busiest(loadBefore),
      `loads before: ${JSON.stringify(loadBefore)}: the celebrity’s shard ${home} carries the most`,
    ).toBe(loadBefore[home]);

    expect(
      store.hotUsers(0.2),
      'hotUsers(0.2): the celebrity had half of all reads; nobody else comes near 20%',
    ).toEqual([CELEBRITY]);
    expect(store.hotUsers(0.9), 'hotUsers(0.9): nobody had 90% of the reads').toEqual([]);
    for (const bad of [0, -0.5, 1.5, Number.NaN]) {
      expect(() => store.hotUsers(bad), `hotUsers(${bad}): a share is above 0 and at most 1`).toThrow(
        /share/i,
      );
    }

    const celebrityNode = await extraNode(nodes, 'celebrity');
    await store.isolate(CELEBRITY, { name: 'celebrity', pool: celebrityNode.pool });

    start = photoReads(nodes);
    const celebrityReads = await workload(12);
    const loadAfter = difference(photoReads(nodes), start);
    expect(
      busiest(loadAfter),
      `photo reads per shard before isolating: ${JSON.stringify(loadBefore)}, after: ${JSON.stringify(loadAfter)}. The celebrity’s reads must leave ${home}: its load should at least halve`,
    ).toBeLessThan(0.5 * busiest(loadBefore));
    expect(
      loadAfter.celebrity ?? 0,
      `after: ${JSON.stringify(loadAfter)}. The celebrity’s shard (or read copy) serves their ${celebrityReads} reads`,
    ).toBeGreaterThanOrEqual(0.9 * celebrityReads);

    const onCelebrityNode = await rowsOn(celebrityNode);
    expect(
      onCelebrityNode.photos.map((p) => p.id).sort(),
      'the celebrity’s shard holds all their photos',
    ).toEqual(celebrityPhotos);
    expect(
      onCelebrityNode.users.map((u) => u.id),
      'and their user row, and no one else’s',
    ).toEqual([CELEBRITY]);
    expect(
      (await store.photosOf(CELEBRITY)).map((p) => p.id).sort(),
      'the celebrity’s photos are all still readable',
    ).toEqual(celebrityPhotos);
    expect((await store.photosOf(8)).map((p) => p.id).sort(), 'other users are not affected').toEqual(
      [...(photos.get(8) ?? [])].sort(),
    );

    const fresh = await store.addPhoto({ userId: CELEBRITY, title: 'after the move' });
    await store.renameUser(CELEBRITY, 'Star');
    const now = await store.photosOf(CELEBRITY);
    expect(
      now.map((p) => p.id),
      'a photo added after isolating is readable',
    ).toContain(fresh.id);
    expect(new Set(now.map((p) => p.authorName)), 'a rename reaches the isolated rows').toEqual(
      new Set(['Star']),
    );
    expect(await store.getUser(CELEBRITY), 'getUser finds the celebrity on their own shard').toEqual({
      id: CELEBRITY,
      name: 'Star',
    });
    await expect(
      store.like(fresh.id, 2),
      'a like of the celebrity’s photo goes to their shard: every call that routes by user asks the exceptions first',
    ).resolves.toMatchObject({ id: fresh.id, likes: 2 });
    expect(
      (await rowsOn(celebrityNode)).photos.map((p) => p.id),
      'writes for the celebrity go to their shard',
    ).toContain(fresh.id);
    const top = await store.topPhotos(3);
    expect(
      top.map((p) => [p.id, p.likes, p.authorName]),
      'topPhotos(3) includes the isolated shard, once: the celebrity’s three most liked photos',
    ).toEqual([...fanPhotos].reverse().map((p, i) => [p.id, 10_002 - i, 'Star']));

    await expect(
      store.isolate(CELEBRITY + 1, { name: 'celebrity', pool: celebrityNode.pool }),
      'a shard name that is in use already is an error',
    ).rejects.toThrow(/in use|exists|already|duplicate|twice/i);
    const spare = await extraNode(nodes, 'spare');
    await expect(
      store.isolate(9999, { name: 'spare', pool: spare.pool }),
      'isolating a user who does not exist is an error',
    ).rejects.toThrow(/unknown user|no user|not found/i);
  });
});
