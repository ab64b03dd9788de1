/**
 * Task 4 — the celebrity problem (hotspot key). One user draws a large share of all reads, so the shard
 * that holds them is overloaded while the others idle. Find the hot key from access counts, give it a
 * shard of its own, and the busiest shard's load drops. The celebrity is the busiest user: their rows move
 * while they keep posting, and they stay on their own shard when the ring changes.
 */
import { describe, expect, it } from 'vitest';
import type { DatabaseNode } from '#kit/db';
import { seededRandom } from '#kit/random';
import { step } from '#kit/wait';
import {
  audit,
  difference,
  ERRORS,
  expectAudit,
  extraNode,
  firstWrite,
  landOrWait,
  misreads,
  photoReads,
  range,
  ringOver,
  rowsOn,
  seedUsers,
  startStore,
  type UserModel,
  WRITES,
} from './shards.js';

const CELEBRITY = 7;
const ring3 = ringOver('db1', 'db2', 'db3');
const ring4 = ringOver('db1', 'db2', 'db3', 'db4');
/** Where a user lives once the celebrity has a shard of their own. */
const withCelebrity = (ring: (id: number) => string) => (id: number) =>
  id === CELEBRITY ? 'celebrity' : ring(id);

describe('The celebrity problem', () => {
  it('detects the hot user and isolates them, after which the busiest shard’s load drops', async () => {
    const USERS = 24;
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, USERS), 1);
    const celebrity = model.get(CELEBRITY) as UserModel;
    for (let i = 0; i < 2; i++) {
      const photo = await store.addPhoto({ userId: CELEBRITY, title: `red carpet ${i}` });
      celebrity.photos.set(photo.id, 0);
    }

    /** Reads per user, as the test sent them. */
    const sent = new Map<number, number>();
    /** Reads photo lists: half of them the celebrity's, half spread over everyone. */
    const workload = async (seed: number) => {
      const random = seededRandom(seed);
      let celebrityReads = 0;
      for (let i = 0; i < 80; i++) {
        const user = random() < 0.5 ? CELEBRITY : 1 + Math.floor(random() * USERS);
        if (user === CELEBRITY) celebrityReads += 1;
        sent.set(user, (sent.get(user) ?? 0) + 1);
        await store.photosOf(user);
      }
      return celebrityReads;
    };
    const original = ['db1', 'db2', 'db3'];
    const busiest = (load: Record<string, number>) => Math.max(...original.map((n) => load[n] ?? 0));

    const home = ring3(CELEBRITY);
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
    const warm = store.hotUsers(0.03);
    const expected = [...sent].filter(([, n]) => n / 80 >= 0.03).map(([id]) => id);
    expect(
      [...warm].sort((a, b) => a - b),
      `hotUsers(0.03): every user with at least 3% of the 80 reads (reads sent: ${JSON.stringify(Object.fromEntries(sent))})`,
    ).toEqual(expected.sort((a, b) => a - b));
    expect(
      warm.map((id) => sent.get(id)),
      'hotUsers lists the busiest first: their read counts never go up along the list',
    ).toEqual(warm.map((id) => sent.get(id)).sort((a, b) => (b ?? 0) - (a ?? 0)));
    for (const bad of [0, -0.5, 1.5, Number.NaN]) {
      expect(
        () => store.hotUsers(bad),
        `hotUsers(${bad}): a share is above 0 and at most 1 (the error says "share")`,
      ).toThrow(/share/i);
    }

    const celebrityNode = await extraNode(nodes, 'celebrity');
    await step(
      'isolate() moves the celebrity',
      store.isolate(CELEBRITY, { name: 'celebrity', pool: celebrityNode.pool }),
    );

    start = photoReads(nodes);
    const celebrityReads = await workload(12);
    const loadAfter = difference(photoReads(nodes), start);
    expect(
      busiest(loadAfter),
      `photo reads per shard before isolating: ${JSON.stringify(loadBefore)}, after: ${JSON.stringify(loadAfter)}. The celebrity’s reads must leave ${home}: its load should at least halve`,
    ).toBeLessThan(0.5 * busiest(loadBefore));
    expect(
      loadAfter.celebrity ?? 0,
      `after: ${JSON.stringify(loadAfter)}. The celebrity’s shard serves their ${celebrityReads} reads`,
    ).toBeGreaterThanOrEqual(0.9 * celebrityReads);

    const onCelebrityNode = await rowsOn(celebrityNode);
    expect(
      onCelebrityNode.users.map((u) => u.id),
      'the celebrity’s shard holds their user row, and no one else’s',
    ).toEqual([CELEBRITY]);
    expectAudit(await audit(nodes, model, withCelebrity(ring3)), 'after isolating the celebrity');

    const fresh = await store.addPhoto({ userId: CELEBRITY, title: 'after the move' });
    celebrity.photos.set(fresh.id, 0);
    await store.renameUser(CELEBRITY, 'Star');
    celebrity.name = 'Star';
    expect(
      await store.like(fresh.id, 2).catch((error: Error) => error.message),
      'a like of the celebrity’s photo goes to their shard: every call that routes by user asks the exceptions first',
    ).toMatchObject({ id: fresh.id, likes: 2 });
    celebrity.photos.set(fresh.id, 2);
    expect(await store.getUser(CELEBRITY), 'getUser finds the celebrity on their own shard').toEqual({
      id: CELEBRITY,
      name: 'Star',
    });
    expectAudit(
      await audit(nodes, model, withCelebrity(ring3)),
      'after a photo, a rename and a like for the isolated celebrity (they go to the celebrity’s shard)',
    );
    expect(
      await misreads(store, model),
      'the celebrity and everyone else read back what was written',
    ).toEqual([]);

    await expect(
      store.isolate(CELEBRITY + 1, { name: 'celebrity', pool: celebrityNode.pool }),
      'a shard name that is in use already is an error (it says "twice" or "in use")',
    ).rejects.toThrow(ERRORS.shardInUse);
    const spare = await extraNode(nodes, 'spare');
    await expect(
      store.isolate(9999, { name: 'spare', pool: spare.pool }),
      'isolating a user who does not exist is an error (it says "unknown user")',
    ).rejects.toThrow(ERRORS.unknownUser);
  });

  it('the celebrity keeps posting while their rows move: nothing they write is lost, and their reads stay right', async () => {
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, 12), 1);
    const celebrity = model.get(CELEBRITY) as UserModel;
    for (let i = 0; i < 2; i++)
      celebrity.photos.set((await store.addPhoto({ userId: CELEBRITY, title: `fan ${i}` })).id, 0);
    const celebrityNode = await extraNode(nodes, 'celebrity');

    // Hold back the copy to the celebrity's shard: the move is under way, their rows half copied.
    const copy = celebrityNode.hold(WRITES);
    const isolating = store.isolate(CELEBRITY, { name: 'celebrity', pool: celebrityNode.pool });
    await step(
      'isolate() starts copying the celebrity’s rows (the test holds that write back)',
      Promise.race([copy.reached, isolating]),
    );
    expect(
      await misreads(store, model),
      'reads while the celebrity’s rows are half copied: serve them from the old shard until the copy is complete, then switch, then delete',
    ).toEqual([]);

    const first = [...celebrity.photos.keys()][0] as string;
    const wrote = firstWrite([nodes[ring3(CELEBRITY)] as DatabaseNode]);
    const posting = Promise.all([
      store.addPhoto({ userId: CELEBRITY, title: 'posted mid-move' }),
      store.like(first, 5),
      store.renameUser(CELEBRITY, 'Star'),
    ]).then(
      ([photo]) => {
        celebrity.photos.set(photo.id, 0);
        celebrity.photos.set(first, 5);
        celebrity.name = 'Star';
      },
      (error: Error) => {
        throw new Error(
          `a photo, a like or a rename of the celebrity made while their rows moved failed: ${error.message}. A write that waited for the move goes where the user lives now: every call that routes by user asks the exceptions first`,
        );
      },
    );
    await landOrWait(wrote, [posting]);
    copy.release();
    await step('isolate() finishes once the copy goes on', isolating);
    await step('the celebrity’s writes made during the move are acknowledged', posting);

    const found = await audit(nodes, model, withCelebrity(ring3));
    expect(
      found.lost,
      'the celebrity posted, was liked and renamed while their rows moved: the busiest user is the likeliest to write mid-move. Move them under the same per-user lock as their writes (a fence), or copy what changed before the switch (catch-up)',
    ).toEqual([]);
    expectAudit(found, 'after isolating a celebrity who kept posting');
    expect(await misreads(store, model), 'the celebrity reads back everything acknowledged').toEqual([]);
  });

  it('a shard added after isolating leaves the celebrity on their own shard, and nobody else joins them', async () => {
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, 30), 1);
    const celebrity = model.get(CELEBRITY) as UserModel;
    for (let i = 0; i < 2; i++)
      celebrity.photos.set((await store.addPhoto({ userId: CELEBRITY, title: `fan ${i}` })).id, 0);
    const celebrityNode = await extraNode(nodes, 'celebrity');
    await step(
      'isolate() moves the celebrity',
      store.isolate(CELEBRITY, { name: 'celebrity', pool: celebrityNode.pool }),
    );

    const db4 = await extraNode(nodes, 'db4');
    await step('addShard(db4) finishes', store.addShard({ name: 'db4', pool: db4.pool }));
    const found = await audit(nodes, model, withCelebrity(ring4));
    expect(
      [...found.lost, ...found.misplaced].filter((line) => /user 7\b|celebrity/.test(line)),
      'the celebrity has a shard of their own, outside the ring: adding a shard to the ring must neither move them back into it (nor lose their rows) nor give their shard to anyone else — the next ring is the old ring’s shards plus the new one, and only ring users move',
    ).toEqual([]);
    expectAudit(found, 'after isolating the celebrity, then adding db4 to the ring');

    const late = range(500, 40);
    for (const id of late) {
      await store.addUser({ id, name: `user-${id}` });
      model.set(id, { name: `user-${id}`, photos: new Map() });
    }
    const photo = await store.addPhoto({ userId: CELEBRITY, title: 'after the new shard' });
    celebrity.photos.set(photo.id, 0);
    expect(
      (await rowsOn(celebrityNode)).users.map((u) => u.id),
      'the celebrity’s shard is theirs alone: it is not a shard of the ring, so no other user (old or new) lands there',
    ).toEqual([CELEBRITY]);
    expectAudit(
      await audit(nodes, model, withCelebrity(ring4)),
      'after 40 more sign-ups and a photo of the celebrity',
    );
    expect(await misreads(store, model), 'everyone reads back what was written').toEqual([]);
  });
});
