/**
 * Task 3 — resharding online. A new shard joins while the service keeps taking writes. Only the users the
 * new shard now owns move (copy, then switch, then delete); reads stay correct during the move; no row is
 * lost or duplicated, and writes made during the move survive it.
 */
import { describe, expect, it } from 'vitest';
import type { DatabaseNode } from '#kit/db';
import { seededRandom } from '#kit/random';
import { pause, step, until } from '#kit/wait';
import {
  audit,
  ERRORS,
  expectAudit,
  extraNode,
  firstWrite,
  landOrWait,
  type Model,
  misreads,
  photoRowsOf,
  range,
  ringOver,
  STORE_PHOTO_READS,
  seedUsers,
  startStore,
  tablesOn,
  type UserModel,
  usersIn,
  WRITES,
} from './shards.js';

/** Where each user lives before and after db4 has joined: your ring over the names. */
const ring3 = ringOver('db1', 'db2', 'db3');
const ring4 = ringOver('db1', 'db2', 'db3', 'db4');

describe('Resharding: add a shard while writes continue', () => {
  it('moves only the keys the new shard owns, and loses no write of a seeded workload during the move', async () => {
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, 30), 1);
    const db4 = await extraNode(nodes, 'db4');

    const random = seededRandom(2024);
    const busy = new Set<number>();
    const errors: string[] = [];
    let nextUser = 1001;
    let renames = 0;
    let moving = true;
    let during = 0;

    const pickUser = () => {
      const ids = [...model.keys()];
      for (;;) {
        const id = ids[Math.floor(random() * ids.length)] as number;
        if (!busy.has(id)) return id;
      }
    };
    /** One operation of a seeded workload; no two operations on one user at once. */
    const operate = async () => {
      const roll = random();
      const user = roll < 0.1 ? nextUser++ : pickUser();
      const mine = model.get(user);
      busy.add(user);
      try {
        if (roll < 0.1) {
          await store.addUser({ id: user, name: `user-${user}` });
          model.set(user, { name: `user-${user}`, photos: new Map() });
        } else if (roll < 0.4 && mine) {
          const photo = await store.addPhoto({ userId: user, title: 'during the move' });
          mine.photos.set(photo.id, 0);
        } else if (roll < 0.65 && mine && mine.photos.size > 0) {
          const ids = [...mine.photos.keys()];
          const target = ids[Math.floor(random() * ids.length)] as string;
          const by = 1 + Math.floor(random() * 5);
          await store.like(target, by);
          mine.photos.set(target, (mine.photos.get(target) ?? 0) + by);
        } else if (roll < 0.75 && mine) {
          renames += 1;
          const name = `renamed-${renames}`;
          await store.renameUser(user, name);
          mine.name = name;
        } else {
          errors.push(...(await misreads(store, model, [user])));
        }
        if (moving) during += 1;
      } catch (error) {
        errors.push(`${(error as Error).message} (user ${user})`);
      } finally {
        busy.delete(user);
      }
    };
    const lane = async () => {
      let afterwards = 0;
      while (moving || afterwards < 5) {
        if (!moving) afterwards += 1;
        await operate();
      }
    };

    const move = store.addShard({ name: 'db4', pool: db4.pool }).finally(() => {
      moving = false;
    });
    await step(
      'addShard finishes while three clients keep reading and writing',
      Promise.all([move, lane(), lane(), lane()]),
    );

    expect(
      errors,
      `no read or write may fail or read wrong because a shard is being added (first: ${errors[0] ?? 'none'})`,
    ).toEqual([]);
    expectAudit(await audit(nodes, model, ring4), 'after adding db4 under a seeded workload');
    expect(
      await misreads(store, model),
      'after the move every user is read where the router now sends their reads',
    ).toEqual([]);
    expect(during, 'the workload ran while the shard was being added').toBeGreaterThan(0);

    for (const id of range(2000, 40)) await store.addUser({ id, name: `late-${id}` });
    const late = await audit(
      nodes,
      new Map(range(2000, 40).map((id) => [id, { name: `late-${id}`, photos: new Map() }])),
      ring4,
    );
    expect(
      late.misplaced,
      'after the move, new users land where the ring with db4 sends them: db4 is part of the ring',
    ).toEqual([]);
    await expect(
      store.addShard({ name: 'db4', pool: db4.pool }),
      'adding a shard whose name is in use is an error (it says "twice" or "in use")',
    ).rejects.toThrow(ERRORS.shardInUse);
  });

  it('a user caught mid-move: reads stay right, writes wait for the switch or are copied too, and other users’ writes go on', async () => {
    const { store, nodes } = await startStore(3);
    const model = await seedUsers(store, range(1, 30), 1);
    const movers = [...model.keys()].filter((id) => ring4(id) === 'db4');
    const stayers = [...model.keys()].filter((id) => ring4(id) !== 'db4');
    expect(movers.length, 'some of the 30 users move to db4 (by your ring)').toBeGreaterThan(0);
    const db4 = await extraNode(nodes, 'db4');

    // Hold back the copy into db4: the move is now under way, the user's rows half copied.
    const copy = db4.hold(WRITES);
    const move = store.addShard({ name: 'db4', pool: db4.pool });
    const settledMove = move.then(
      () => undefined,
      () => undefined,
    );
    await step(
      'addShard starts copying a user’s rows to db4 (the test holds that write back)',
      Promise.race([copy.reached, settledMove.then(() => move)]),
    );
    const caught = usersIn(copy.held, model);
    const moving = caught.length > 0 ? caught : movers;

    expect(
      await misreads(store, model),
      `reads while the rows of user ${moving.join(', ')} are half copied to db4: serve a user from the old shard until their copy is complete, then switch, and only then delete the old rows`,
    ).toEqual([]);

    const stayed = stayers.slice(0, 8).map(async (id) => {
      const photo = await store.addPhoto({ userId: id, title: 'while db4 fills' });
      model.get(id)?.photos.set(photo.id, 0);
    });
    await step(
      `writes for users who do not move (${stayers.slice(0, 8).join(', ')}) are acknowledged while another user is being moved: resharding is online, not stop-the-world`,
      Promise.all(stayed),
      10_000,
    );

    // A read of that user routed before the switch that runs only after the old rows are deleted: it must
    // read again (or wait for the switch), not answer that the user has no photos.
    const homes = moving.map((id) => nodes[ring3(id)] as DatabaseNode);
    const lateReads = homes.map((node) => node.hold(STORE_PHOTO_READS));
    const before = new Map(moving.map((id) => [id, [...(model.get(id) as UserModel).photos.keys()]]));
    const racing = moving.map((id) => store.photosOf(id));

    // Writes for the user whose rows are half copied: they must wait for the switch, or be copied too.
    const wrote = firstWrite(homes);
    const pending = moving
      .map(async (id) => {
        const mine = model.get(id) as UserModel;
        const first = [...mine.photos.keys()][0] as string;
        const [photo] = await Promise.all([
          store.addPhoto({ userId: id, title: 'while my rows move' }),
          store.like(first, 7),
          store.renameUser(id, `moving-${id}`),
        ]);
        mine.photos.set(photo.id, 0);
        mine.photos.set(first, (mine.photos.get(first) ?? 0) + 7);
        mine.name = `moving-${id}`;
      })
      .map((write) =>
        write.catch((error: Error) => {
          throw new Error(
            `a photo, a like or a rename made while its user’s rows moved failed: ${error.message}. A write that waited for the move goes where the user lives now`,
          );
        }),
      );
    await landOrWait(wrote, pending);
    copy.release();
    // Let the held reads run once the old rows are gone (or after a while, if the move waits for them).
    await until(
      async () =>
        (await Promise.all(moving.map((id, i) => photoRowsOf(homes[i] as DatabaseNode, id)))).every(
          (n) => n === 0,
        ),
      5_000,
      'the old rows stay while a read is held',
    ).catch(() => undefined);
    for (const hold of lateReads) hold.release();
    await step('addShard finishes once the copy goes on', move);
    await step('the writes made while their user moved are acknowledged', Promise.all(pending));
    const raced = await step('the reads made while their user moved answer', Promise.all(racing));
    const missing = moving.flatMap((id, i) => {
      const got = new Set((raced[i] ?? []).map((p) => p.id));
      return (before.get(id) ?? [])
        .filter((photo) => !got.has(photo))
        .map((photo) => `photosOf(${id}) lacks ${photo}`);
    });
    expect(
      missing,
      'a read sent to the old shard just before the switch ran after the old rows were deleted, and missed photos: a read that raced a move must read again where the user lives now (or wait for the move)',
    ).toEqual([]);

    expectAudit(
      await audit(nodes, model, ring4),
      `after moving users ${moving.join(', ')} with writes in between`,
    );
    expect(await misreads(store, model), 'every user reads back what was acknowledged').toEqual([]);
  });

  it('sign-ups already in flight when the move starts are moved too', async () => {
    const { store, nodes } = await startStore(3);
    const ids = range(5001, 60);
    const signUps = [
      ...ids.filter((id) => ring4(id) === 'db4').slice(0, 8),
      ...ids.filter((id) => ring4(id) !== 'db4').slice(0, 4),
    ];
    const old = ['db1', 'db2', 'db3'].map((name) => nodes[name] as DatabaseNode);
    // Each sign-up reaches its shard, and its INSERT is held there: it is in flight as the move begins.
    const holds = old.map((node) => node.hold(/\binsert\s+into\s+(?:"?public"?\.)?"?users\b/i));
    const held = () => holds.reduce((n, h) => n + h.held.length, 0);
    const model: Model = new Map();
    const acknowledged = signUps.map((id) =>
      store.addUser({ id, name: `user-${id}` }).then(() => {
        model.set(id, { name: `user-${id}`, photos: new Map() });
      }),
    );
    await until(
      () => held() === signUps.length,
      10_000,
      () => `the ${signUps.length} sign-ups did not reach their shards (${held()} did)`,
    );
    const db4 = await extraNode(nodes, 'db4');
    const move = store.addShard({ name: 'db4', pool: db4.pool });
    const moveSettled = move.then(
      () => undefined,
      () => undefined,
    );
    // Let the sign-ups commit once the move is over — or, if the move waits for them, a moment after it
    // has created db4's tables (it would have listed the old shards by then).
    await until(async () => (await tablesOn(db4)) >= 2, 2_000, 'db4 has no tables yet').catch(
      () => undefined,
    );
    await Promise.race([moveSettled, pause(300)]);
    for (const hold of holds) hold.release();
    await step('addShard finishes', move);
    await step('the sign-ups are acknowledged', Promise.all(acknowledged));

    const found = await audit(nodes, model, ring4);
    expect(
      [...found.lost, ...found.misplaced],
      `sign-ups routed by the old ring that were still in flight when the move began (${signUps.join(', ')}): finish the writes in flight before listing the users to move, or they stay behind on the old shard where the new ring never looks`,
    ).toEqual([]);
    expectAudit(found, 'after the move');
    const unreachable: string[] = [];
    for (const id of signUps) {
      const user = await store.getUser(id);
      if (user?.name !== `user-${id}`) unreachable.push(`getUser(${id}) gave ${JSON.stringify(user)}`);
    }
    expect(unreachable, 'every signed-up user is found through the store after the move').toEqual([]);
  });
});
