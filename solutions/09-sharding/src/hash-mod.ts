/**
 * The baseline: `hash(user id) mod N`. Even and simple, until N changes: then almost every key gets
 * another shard, and almost all data would have to move.
 */
import { hash32 } from './hash.js';
import { assertShardNames, assertUserId, type Router } from './router.js';

export function createHashModRouter(shards: readonly string[]): Router {
  assertShardNames(shards);
  const list = [...shards];
  return {
    shards: list,
    shardFor(userId) {
      assertUserId(userId);
      return list[hash32(String(userId)) % list.length] as string;
    },
  };
}
