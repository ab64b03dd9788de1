/**
 * Task 2 — shards. The same schema on every shard, different rows on each, no row on two. All of a user's
 * rows live on the shard their id maps to, so a query by user id asks one shard only.
 */
import { describe, expect, it } from 'vitest';
import { createDatabase } from '#kit/db';
import { createShardedStore } from '../src/sharded-store.js';
import { difference, locate, photoReads, seedUsers, startStore } from './shards.js';

const UNKNOWN_USER = /unknown user|no (such )?user|not found|does ?n[o’']t exist/i;

describe('Shards: one schema, rows split by user id', () => {
  it('keeps every user’s rows together on one shard, and spreads the users over all shards', async () => {
    const { store, nodes } = await startStore(3);
    const photos = await seedUsers(store, 150, 2);
    const where = await locate(nodes);
    const onTwo = [...where.users].filter(([, shards]) => shards.length !== 1);
    expect(onTwo, 'every user row lives on exactly one shard: shards hold no overlapping rows').toEqual([]);
    expect(where.users.size, 'all 150 users were stored').toBe(150);
    for (const [id, mine] of photos) {
      const home = where.users.get(id)?.[0];
      for (const photoId of mine) {
        expect(
          where.photos.get(photoId)?.shards,
          `photo ${photoId} of user ${id} must live on the user’s shard ${home}: the sharding key is the user id`,
        ).toEqual([home]);
      }
    }
    const perShard: Record<string, number> = {};
    for (const [, shards] of where.users)
      perShard[shards[0] as string] = (perShard[shards[0] as string] ?? 0) + 1;
    for (const name of ['db1', 'db2', 'db3']) {
      expect(
        perShard[name] ?? 0,
        `users per shard ${JSON.stringify(perShard)}: every shard takes its share (the ring spreads keys evenly)`,
      ).toBeGreaterThanOrEqual(25);
    }
    for (const node of Object.values(nodes)) {
      const columns = await node
        .connect()
        .query(
          `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ('users', 'photos') ORDER BY table_name, column_name`,
        );
      expect(
        columns.rows.map((r) => `${r.table_name}.${r.column_name}`),
        'every shard has the same schema: users (id, name) and photos (id, user_id, author_name, title, likes)',
      ).toEqual(
        expect.arrayContaining(['photos.author_name', 'photos.likes', 'photos.user_id', 'users.name']),
      );
    }
  });

  it('answers a query by user id from that user’s shard alone', async () => {
    const { store, nodes } = await startStore(3);
    const photos = await seedUsers(store, 30, 3);
    const where = await locate(nodes);
    for (const id of [1, 7, 19, 30]) {
      const before = photoReads(nodes);
      const answer = await store.photosOf(id);
      const reads = difference(photoReads(nodes), before);
      expect(answer.map((p) => p.id).sort(), `photosOf(${id}) returns the user’s three photos`).toEqual(
        [...(photos.get(id) ?? [])].sort(),
      );
      expect(answer[0], 'a photo carries its author’s id and name').toMatchObject({
        userId: id,
        authorName: `user-${id}`,
        likes: 0,
      });
      const home = where.users.get(id)?.[0] as string;
      const others = Object.entries(reads).filter(([name, n]) => name !== home && n > 0);
      expect(
        others,
        `photosOf(${id}) read photos on ${JSON.stringify(reads)}: a query by the sharding key goes to the one shard that holds the user (${home}), not to all of them`,
      ).toEqual([]);
    }
    expect(await store.getUser(7), 'getUser reads the user row from its shard').toEqual({
      id: 7,
      name: 'user-7',
    });
    expect(await store.getUser(999), 'an unknown user is undefined').toBeUndefined();
    expect(await store.photosOf(999), 'an unknown user has no photos').toEqual([]);
  });

  it('rejects bad input with clear errors', async () => {
    const { store } = await startStore(2);
    await store.addUser({ id: 5, name: 'ana' });
    for (const bad of [0, -3, 2.5, Number.NaN]) {
      await expect(
        (async () => store.addUser({ id: bad, name: 'x' }))(),
        `addUser with id ${bad}: a user id is a positive integer`,
      ).rejects.toThrow(/user ?id/i);
      await expect((async () => store.photosOf(bad))(), `photosOf(${bad})`).rejects.toThrow(/user ?id/i);
    }
    await expect(store.addUser({ id: 5, name: 'again' }), 'user 5 exists already').rejects.toThrow(
      /exist|duplicate|already/i,
    );
    await expect(
      store.addPhoto({ userId: 6, title: 'orphan' }),
      'a photo needs an existing author',
    ).rejects.toThrow(UNKNOWN_USER);
    await expect(store.renameUser(6, 'bo'), 'renaming an unknown user is an error').rejects.toThrow(
      UNKNOWN_USER,
    );
    await expect(
      (async () => store.like('not-a-photo'))(),
      'liking a photo that does not exist is an error',
    ).rejects.toThrow(
      /unknown photo|no (such )?photo|not found|does ?n[o’']t exist|invalid photo|bad photo/i,
    );
    const db = await createDatabase();
    await expect(
      createShardedStore({
        shards: [
          { name: 'db1', pool: db.pool },
          { name: 'db1', pool: db.pool },
        ],
      }),
      'two shards with one name: say so',
    ).rejects.toThrow(/twice|duplicate|unique|in use/i);
    await expect(createShardedStore({ shards: [] }), 'a store needs at least one shard').rejects.toThrow(
      /shard/i,
    );
  });
});
