/**
 * A consistent-hashing ring with virtual nodes. Each shard owns `virtualNodes` points on a circle of
 * 2^32 positions; a key belongs to the first point at or after its own position, going clockwise.
 * Adding a shard only takes over the arcs in front of its new points: about 1/(N+1) of the keys move,
 * all of them to the new shard. Many points per shard make every shard's share of the circle even.
 */
import { hash32 } from './hash.js';
import { assertShardNames, assertUserId, type Router } from './router.js';

export interface RingOptions {
  /** Points per shard on the ring; the book's figures are for 100 and 200. */
  virtualNodes: number;
}

export function createRing(shards: readonly string[], options: RingOptions): Router {
  assertShardNames(shards);
  const { virtualNodes } = options;
  if (!Number.isInteger(virtualNodes) || virtualNodes < 1 || virtualNodes > 10_000) {
    throw new Error(`virtualNodes must be an integer from 1 to 10000, not ${String(virtualNodes)}`);
  }
  const points: { position: number; shard: string }[] = [];
  for (const shard of shards) {
    for (let i = 0; i < virtualNodes; i++) points.push({ position: hash32(`${shard}#${i}`), shard });
  }
  // Ties (two points on one position) are broken by name, so that the order of `shards` never matters.
  points.sort((a, b) => a.position - b.position || (a.shard < b.shard ? -1 : a.shard > b.shard ? 1 : 0));
  const positions = Uint32Array.from(points, (p) => p.position);

  return {
    shards: [...shards],
    shardFor(userId) {
      assertUserId(userId);
      const key = hash32(String(userId));
      // The first point at or after the key (binary search); past the last point, wrap to the first.
      let low = 0;
      let high = positions.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((positions[middle] as number) < key) low = middle + 1;
        else high = middle;
      }
      return (points[low === positions.length ? 0 : low] as { shard: string }).shard;
    },
  };
}
