/** A consistent-hashing ring with virtual nodes. README: task 1. */
import { hash32 } from './hash.js';
import { assertShardNames, assertUserId, type Router } from './router.js';

export interface RingOptions {
  /** Points per shard on the ring; the book's figures are for 100 and 200. */
  virtualNodes: number;
}

export function createRing(shards: readonly string[], options: RingOptions): Router {
  // TODO task 1: virtualNodes points per shard, placed by hashing the shard's name and the point's number;
  // a key belongs to the first point at or after its own hash, going clockwise (wrap past the end).
  throw new Error(
    `TODO (README, task 1): a ring of ${shards.length} shards with ${options.virtualNodes} virtual nodes each`,
  );
}
