/**
 * Adding a shard while reads and writes go on: only the users the next ring gives to the new shard move,
 * one at a time, each under their own lock (copy, switch, delete). Users with a shard of their own stay
 * where they are: they are not on the ring.
 */
import { createRing } from './ring.js';
import { addPool, type ShardConfig, type ShardSet } from './shard-set.js';
import { userIds } from './user-rows.js';

export async function addShard(set: ShardSet, shard: ShardConfig): Promise<void> {
  const { placement } = set;
  if (placement.migration) throw new Error('a shard is being added already: one resharding at a time');
  await addPool(set, shard);
  const before = placement.ring.shards;
  const next = createRing([...before, shard.name], { virtualNodes: set.virtualNodes });
  const migration = placement.begin(next);
  // Writes that were routed by the old ring and have not finished yet finish first, so the listing sees them.
  await set.locks.drain();
  for (const source of before) {
    for (const userId of await userIds(set.poolOf(source))) {
      if (placement.isDedicated(userId) || next.shardFor(userId) === source) continue;
      await set.locks.withUser(userId, async () => {
        if (migration.moved.has(userId) || placement.isDedicated(userId)) return;
        const to = set.poolOf(next.shardFor(userId));
        await set.moves.move(userId, set.poolOf(source), to, () => migration.moved.add(userId));
      });
    }
  }
  // A failed move leaves the migration in place: the users moved so far are still found.
  placement.finish(migration);
}
