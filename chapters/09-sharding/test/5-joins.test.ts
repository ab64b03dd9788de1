/**
 * Task 5 — joins across shards. A question about all users (the most liked photos) has no single shard
 * to ask: scatter it to every shard, a celebrity's included, and gather the answers. Each photo row carries
 * its author's name (denormalised, kept in step by renameUser in task 2), so the answer needs no join.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#kit/random';
import { step } from '#kit/wait';
import {
  difference,
  extraNode,
  photoReads,
  range,
  ringOver,
  seedUsers,
  startStore,
  statementsNaming,
} from './shards.js';

describe('Joins across shards: scatter-gather and denormalisation', () => {
  it('finds the global top N by asking every shard, and merging', async () => {
    const { store, nodes } = await startStore(4);
    const model = await seedUsers(store, range(1, 30), 2);
    const all = [...model].flatMap(([userId, user]) => [...user.photos.keys()].map((id) => ({ id, userId })));
    const random = seededRandom(77);
    const likes = new Map<string, number>();
    // Thirty photos get distinct like counts, so that the top N has one right answer.
    const shuffled = [...all];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as (typeof all)[number], shuffled[i] as (typeof all)[number]];
    }
    for (const [i, p] of shuffled.slice(0, 30).entries()) {
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
      'topPhotos(10): the ten most liked photos of the whole service, most liked first — ask every shard for its own top n (any one shard may hold them all), merge, cut to n',
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
    const home = ringOver('db1', 'db2', 'db3', 'db4');
    const local = all.filter((p) => home(p.userId) === 'db2').slice(0, 5);
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
    expect(everything.length, 'topPhotos(1000) with 60 photos returns all 60, each once').toBe(60);
    expect(new Set(everything.map((p) => p.id)).size, 'no photo twice').toBe(60);

    for (const bad of [0, -1, 2.5, 1001]) {
      await expect(
        (async () => store.topPhotos(bad))(),
        `topPhotos(${bad}): n is an integer from 1 to 1000 (the error says "n")`,
      ).rejects.toThrow(/\bn\b/);
    }
  });

  it('shows renamed authors without a join: topPhotos reads no users table', async () => {
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, 12), 1);
    const renamed = [3, 8, 11];
    for (const id of renamed) {
      await store.like([...(model.get(id)?.photos.keys() ?? [])][0] as string, 100 + id);
      await store.renameUser(id, `new-name-${id}`);
    }
    const usersBefore = statementsNaming(nodes, 'users');
    const top = await store.topPhotos(3);
    const usersAfter = statementsNaming(nodes, 'users');
    expect(
      top.map((p) => p.authorName),
      'topPhotos shows the new names, most liked first',
    ).toEqual(['new-name-11', 'new-name-8', 'new-name-3']);
    expect(
      difference(usersAfter, usersBefore),
      'statements naming the users table per shard during topPhotos: it must not look up authors in the users table (no join, no lookup): the photo rows carry the name (denormalised), so a global list reads photos alone',
    ).toEqual(Object.fromEntries(Object.keys(nodes).map((name) => [name, 0])));
  });

  it('asks a celebrity’s own shard too, once', async () => {
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, 12), 1);
    const fans = [];
    for (let i = 0; i < 3; i++) fans.push(await store.addPhoto({ userId: 7, title: `red carpet ${i}` }));
    for (const [i, photo] of fans.entries()) await store.like(photo.id, 10_000 + i);
    await store.like([...(model.get(2)?.photos.keys() ?? [])][0] as string, 9_000);
    const celebrityNode = await extraNode(nodes, 'celebrity');
    await step(
      'isolate() moves the celebrity',
      store.isolate(7, { name: 'celebrity', pool: celebrityNode.pool }),
    );
    expect(
      (await store.topPhotos(4)).map((p) => [p.id, p.likes]),
      'topPhotos(4): the celebrity’s three photos from their own shard, then the best of the ring; the celebrity’s shard is asked too, and each photo appears once',
    ).toEqual([
      ...[...fans].reverse().map((p, i) => [p.id, 10_002 - i]),
      [[...(model.get(2)?.photos.keys() ?? [])][0], 9_000],
    ]);
  });
});
