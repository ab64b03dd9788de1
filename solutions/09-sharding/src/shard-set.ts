/**
 * What every operation of the store shares: the shards' pools by name, where each user lives, the per-user
 * locks, the moves, and the read counts that find a celebrity.
 */
import type { Pool } from 'pg';
import { createMoves, type Moves } from './moves.js';
import { createPlacement, type Placement } from './placement.js';
import { createReadCounter, type ReadCounter } from './read-counter.js';
import { createRing } from './ring.js';
import { assertShardNames } from './router.js';
import { ensureSchema } from './schema.js';
import { createUserLocks, type UserLocks } from './user-locks.js';

export interface ShardConfig {
  name: string;
  pool: Pool;
}

export interface ShardSet {
  /** Every shard, the ring's and the celebrities' own: what a scatter-gather asks. */
  pools: Map<string, Pool>;
  placement: Placement;
  locks: UserLocks;
  moves: Moves;
  reads: ReadCounter;
  virtualNodes: number;
  poolOf(name: string): Pool;
  /** The pool that holds the user's rows now. */
  ownerPool(userId: number): Pool;
}

export async function openShardSet(shards: ShardConfig[], virtualNodes: number): Promise<ShardSet> {
  assertShardNames(shards.map((s) => s.name));
  const pools = new Map<string, Pool>();
  for (const shard of shards) {
    await ensureSchema(shard.pool);
    pools.set(shard.name, shard.pool);
  }
  const placement = createPlacement(
    createRing(
      shards.map((s) => s.name),
      { virtualNodes },
    ),
  );
  const poolOf = (name: string) => pools.get(name) as Pool;
  return {
    pools,
    placement,
    locks: createUserLocks(),
    moves: createMoves(),
    reads: createReadCounter(),
    virtualNodes,
    poolOf,
    ownerPool: (userId) => poolOf(placement.owner(userId)),
  };
}

/** Checks a shard that is about to join, creates its tables and registers its pool. */
export async function addPool(set: ShardSet, shard: ShardConfig): Promise<void> {
  if (!shard || typeof shard.name !== 'string' || shard.name.length === 0 || !shard.pool)
    throw new Error('a shard needs a name and a pool');
  if (set.pools.has(shard.name)) throw new Error(`shard "${shard.name}" is already in use`);
  await ensureSchema(shard.pool);
  set.pools.set(shard.name, shard.pool);
}
