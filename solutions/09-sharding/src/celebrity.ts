/**
 * The celebrity problem: one user with a shard of their own, outside the ring. Their rows move there under
 * their lock like any move, and every call that routes by user id finds them through the placement's
 * exceptions before the ring.
 */
import { assertUserId } from './router.js';
import { addPool, type ShardConfig, type ShardSet } from './shard-set.js';

export async function isolate(set: ShardSet, userId: number, shard: ShardConfig): Promise<void> {
  assertUserId(userId);
  const { placement } = set;
  if (placement.migration) throw new Error('a shard is being added: isolate the user when that is done');
  if (placement.isDedicated(userId)) throw new Error(`user ${userId} has a shard of its own already`);
  await addPool(set, shard);
  await set.locks.withUser(userId, async () => {
    const from = set.ownerPool(userId);
    const moved = await set.moves.move(userId, from, shard.pool, () =>
      placement.dedicate(userId, shard.name),
    );
    if (!moved) {
      set.pools.delete(shard.name);
      throw new Error(`unknown user ${userId}`);
    }
  });
}
