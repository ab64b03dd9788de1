/**
 * Task 5 — joins across shards. A question about all users (the most liked photos) has no single shard
 * to ask: scatter it to every shard and gather the answers. And instead of joining photos with users on
 * every read, each photo row carries its author's name (denormalised), kept in step when they rename.
 */
import { describe, expect, it } from 'vitest';
import { readsOf } from '#kit/db';
import { seededRandom } from '#kit/random';
import { difference, locate, photoReads, seedUsers, startStore } from './shards.js';

describe('Joins across shards: scatter-gather and denormalisation', () => {
  it('finds the global top N by asking every shard, and merging', async () => {
    const { store, nodes } = await startStore(4);
    const photos = await seedUsers(store, 80, 3);
    const all = [...photos].flatMap(([userId, ids]) => ids.map((id) => ({ id, userId })));
    const random = seededRandom(77);
    const likes = new Map<string, number>();
    // Forty photos get distinct like counts, so that the top N has one right answer.
    const shuffled = [...all];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as (typeof all)[number], shuffled[i] as (typeof all)[number]];
    }
    const picked = shuffled.slice(0, 40);
    for (const [i, p] of picked.entries()) {
      likes.set(p.id, 5 + i * 3);
      await store.like(p.id, 5 + i * 3);
    }
    const expected = (n: number) =>
      [...likes]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([id, count]) => ({ id, likes: count }));

    const before = photoReads(nodes);
    const top = await store.topPhotos(10);
    const reads = difference(photoReads(nodes), before);
    expect(
      Object.entries(reads)
        .filter(([, n]) => n === 0)
        .map(([name]) => name),
      `photo reads per shard during topPhotos: ${JSON.stringify(reads)}. The most liked photos can be on any shard: ask every one (scatter), then merge (gather)`,
    ).toEqual([]);
    expect(
      top.map((p) => ({ id: p.id, likes: p.likes })),
      'topPhotos(10): the ten most liked photos of the whole service, most liked first',
    ).toEqual(expected(10));
    const owner = new Map(all.map((p) => [p.id, p.userId]));
    for (const p of top) {
      expect(p, 'each photo carries its author').toMatchObject({
        userId: owner.get(p.id),
        authorName: `user-${owner.get(p.id)}`,
      });
    }

    // Now make one shard hold the five most liked photos of all: each shard must return its own top N,
    // not N divided by the number of shards.
    const where = await locate(nodes);
    const target = 'db2';
    const local = all.filter((p) => where.photos.get(p.id)?.shards[0] === target).slice(0, 5);
    expect(local.length, 'db2 holds at least five photos').toBe(5);
    for (const [i, p] of local.entries()) {
      await store.like(p.id, 1000 + i);
      likes.set(p.id, (likes.get(p.id) ?? 0) + 1000 + i);
    }
    expect(
      (await store.topPhotos(5)).map((p) => ({ id: p.id, likes: p.likes })),
      'topPhotos(5) when all five are on db2: ask every shard for its own top 5, then cut the merged list to 5',
    ).toEqual(expected(5));
    const everything = await store.topPhotos(1000);
    expect(everything.length, 'topPhotos(1000) with 240 photos returns all 240, each once').toBe(240);
    expect(new Set(everything.map((p) => p.id)).size, 'no photo twice').toBe(240);

    for (const bad of [0, -1, 2.5]) {
      await expect((async () => store.topPhotos(bad))(), `topPhotos(${bad}) is an error`).rejects.toThrow(
        /\bn\b|integer|positive|number/i,
      );
    }
  });

  it('keeps the denormalised author name in step when a user renames', async () => {
    const { store, nodes } = await startStore(3);
    const photos = await seedUsers(store, 40, 3);
    const renamed = [3, 17, 28];
    for (const id of renamed) await store.like((photos.get(id) ?? [])[0] as string, 100 + id);
    for (const id of renamed) await store.renameUser(id, `new-name-${id}`);

    const where = await locate(nodes);
    const stale: string[] = [];
    for (const [photoId, { row }] of where.photos) {
      const want = renamed.includes(row.userId) ? `new-name-${row.userId}` : `user-${row.userId}`;
      if (row.authorName !== want) stale.push(`${photoId}: "${row.authorName}", should be "${want}"`);
    }
    expect(
      stale,
      'photo rows carry their author’s name (denormalised): a rename must update every photo row of that user, or readers see the old name',
    ).toEqual([]);
    for (const id of renamed)
      expect(where.names.get(id), `user ${id}’s own row is renamed`).toBe(`new-name-${id}`);

    const usersBefore = Object.values(nodes).map((node) => readsOf(node, 'users'));
    const top = await store.topPhotos(3);
    const usersAfter = Object.values(nodes).map((node) => readsOf(node, 'users'));
    expect(
      top.map((p) => p.authorName),
      'topPhotos shows the new names, most liked first',
    ).toEqual(['new-name-28', 'new-name-17', 'new-name-3']);
    expect(
      usersAfter,
      'topPhotos must not look up authors in the users table: the photo rows carry the name (denormalised), so a global list needs no join',
    ).toEqual(usersBefore);
    expect(
      new Set((await store.photosOf(17)).map((p) => p.authorName)),
      'photosOf shows the new name on every photo',
    ).toEqual(new Set(['new-name-17']));
  });
});
