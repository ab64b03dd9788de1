/**
 * Task 2 — shards. The same schema on every shard, different rows on each, no row on two. All of a user's
 * rows live on the shard their id maps to, so a query by user id asks one shard only.
 */
import { describe, expect, it } from 'vitest';
import { createDatabase } from '#kit/db';
import { createShardedStore } from '../src/sharded-store.js';
import {
  audit,
  difference,
  ERRORS,
  expectAudit,
  others,
  range,
  ringOver,
  seedUsers,
  startStore,
  statementCounts,
} from './shards.js';

describe('Shards: one schema, rows split by user id', () => {
  it('keeps every user’s rows together on the shard your ring gives them, and spreads the users over all shards', async () => {
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, 45), 1);
    const found = await audit(nodes, model, ringOver('db1', 'db2', 'db3'));
    expect(
      [...found.where.users].filter(([, shards]) => shards.length !== 1),
      'every user row lives on exactly one shard: shards hold no overlapping rows',
    ).toEqual([]);
    expect(
      found.misplaced,
      'every row of a user (the user and their photos) lives on the shard createRing(["db1", "db2", "db3"], { virtualNodes: 100 }) gives for the user id: the sharding key is the user id, and the store routes with your ring',
    ).toEqual([]);
    expectAudit(found, 'after 45 sign-ups with a photo each');
    const perShard: Record<string, number> = {};
    for (const [, shards] of found.where.users)
      perShard[shards[0] as string] = (perShard[shards[0] as string] ?? 0) + 1;
    for (const name of ['db1', 'db2', 'db3']) {
      expect(
        perShard[name] ?? 0,
        `users per shard ${JSON.stringify(perShard)}: every shard takes its share (the ring spreads keys evenly)`,
      ).toBeGreaterThanOrEqual(8);
    }
    for (const node of Object.values(nodes)) {
      const columns = await node.pool.query(
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

  it('answers a query by user id, and a like, from that user’s shard alone', async () => {
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, 12), 2);
    const home = ringOver('db1', 'db2', 'db3');
    for (const id of [1, 5, 8, 12]) {
      const mine = model.get(id)?.photos ?? new Map();
      let before = statementCounts(nodes);
      const answer = await store.photosOf(id);
      let sent = difference(statementCounts(nodes), before);
      expect(answer.map((p) => p.id).sort(), `photosOf(${id}) returns the user’s two photos`).toEqual(
        [...mine.keys()].sort(),
      );
      expect(answer[0], 'a photo carries its author’s id and name').toMatchObject({
        userId: id,
        authorName: `user-${id}`,
        likes: 0,
      });
      expect(
        others(sent, home(id)),
        `photosOf(${id}) sent statements to ${JSON.stringify(sent)}: a query by the sharding key goes to the one shard that holds the user (${home(id)}), not to all of them`,
      ).toEqual([]);

      before = statementCounts(nodes);
      expect(await store.getUser(id), `getUser(${id}) reads the user row from its shard`).toEqual({
        id,
        name: `user-${id}`,
      });
      sent = difference(statementCounts(nodes), before);
      expect(others(sent, home(id)), `getUser(${id}) asks ${home(id)} alone`).toEqual([]);

      const photo = [...mine.keys()][1] as string;
      before = statementCounts(nodes);
      const liked = await store.like(photo, 3);
      sent = difference(statementCounts(nodes), before);
      expect(liked, `like(${photo}, 3) answers the photo with its new count`).toMatchObject({
        id: photo,
        userId: id,
        likes: 3,
      });
      expect(
        others(sent, home(id)),
        `like() sent statements to ${JSON.stringify(sent)}: the photo id must lead to its author's shard (${home(id)}), so that a like asks that shard alone — not shard after shard, and not a lookup table elsewhere`,
      ).toEqual([]);
    }
    expect(await store.getUser(999), 'an unknown user is undefined').toBeUndefined();
    expect(await store.photosOf(999), 'an unknown user has no photos').toEqual([]);
  });

  it('renames a user and every denormalised copy of the name on their photos', async () => {
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, 20), 2);
    for (const id of [3, 11, 17]) {
      await store.renameUser(id, `new-name-${id}`);
      (model.get(id) as { name: string }).name = `new-name-${id}`;
    }
    const found = await audit(nodes, model, ringOver('db1', 'db2', 'db3'));
    expect(
      found.wrong,
      'photo rows carry their author’s name (denormalised): a rename must update the user row and every photo row of that user, or readers see the old name',
    ).toEqual([]);
    expect(
      new Set((await store.photosOf(11)).map((p) => p.authorName)),
      'photosOf shows the new name on every photo',
    ).toEqual(new Set(['new-name-11']));
    expect(await store.getUser(17), 'getUser shows the new name').toEqual({ id: 17, name: 'new-name-17' });
  });

  it('rejects bad input with clear errors', async () => {
    const { store } = await startStore(2);
    await store.addUser({ id: 5, name: 'ana' });
    const photo = await store.addPhoto({ userId: 5, title: 'first' });
    const call = (f: () => unknown) => (async () => f())();
    for (const bad of [0, -3, 2.5, Number.NaN, 2 ** 31]) {
      await expect(
        call(() => store.addUser({ id: bad, name: 'x' })),
        `addUser with id ${bad}: a user id is an integer from 1 to 2147483647 (the error says "user id")`,
      ).rejects.toThrow(ERRORS.userId);
      await expect(
        call(() => store.photosOf(bad)),
        `photosOf(${bad})`,
      ).rejects.toThrow(ERRORS.userId);
      await expect(
        call(() => store.getUser(bad)),
        `getUser(${bad})`,
      ).rejects.toThrow(ERRORS.userId);
    }
    await expect(
      store.addUser({ id: 5, name: 'again' }),
      'user 5 exists already (the error says "exists" or "already")',
    ).rejects.toThrow(ERRORS.exists);
    await expect(
      store.addPhoto({ userId: 6, title: 'orphan' }),
      'a photo needs an existing author (the error says "unknown user")',
    ).rejects.toThrow(ERRORS.unknownUser);
    await expect(
      store.renameUser(6, 'bo'),
      'renaming an unknown user is an error (the error says "unknown user")',
    ).rejects.toThrow(ERRORS.unknownUser);
    for (const bad of ['not-a-photo', `${photo.id}x`, '', '6-x']) {
      await expect(
        call(() => store.like(bad)),
        `liking "${bad}", a photo that does not exist, is an error (it says "unknown photo")`,
      ).rejects.toThrow(ERRORS.unknownPhoto);
    }
    for (const by of [0, -1, 1.5]) {
      await expect(
        call(() => store.like(photo.id, by)),
        `like(…, ${by}): likes come 1 or more at a time`,
      ).rejects.toThrow(/likes/i);
    }
    for (const title of ['', 'x'.repeat(201)]) {
      await expect(
        call(() => store.addPhoto({ userId: 5, title })),
        `a title of ${title.length} characters: a title is 1 to 200 characters`,
      ).rejects.toThrow(/title/i);
    }
    for (const name of ['', 'x'.repeat(101)]) {
      await expect(
        call(() => store.addUser({ id: 8, name })),
        `a name of ${name.length} characters: a name is 1 to 100 characters`,
      ).rejects.toThrow(/name/i);
      await expect(
        call(() => store.renameUser(5, name)),
        `renaming to ${name.length} characters`,
      ).rejects.toThrow(/name/i);
    }
    const db = await createDatabase();
    await expect(
      createShardedStore({
        shards: [
          { name: 'db1', pool: db.pool },
          { name: 'db1', pool: db.pool },
        ],
      }),
      'two shards with one name: say so ("twice" or "in use")',
    ).rejects.toThrow(ERRORS.shardInUse);
    await expect(createShardedStore({ shards: [] }), 'a store needs at least one shard').rejects.toThrow(
      /shard/i,
    );
  });
});
