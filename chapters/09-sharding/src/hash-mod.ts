/** The baseline router: `hash(user id) mod N`. README: task 1. */
import { hash32 } from './hash.js';
import { assertShardNames, assertUserId, type Router } from './router.js';

export function createHashModRouter(shards: readonly string[]): Router {
  throw new Error(`TODO (README, task 1): a hash-mod router over ${shards.length} shards`);
}
