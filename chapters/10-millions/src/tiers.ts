/**
 * The tiers every web server and worker share, built once from the config. README: task 1.
 * Build them from your own chapters: the ring of 09, a cluster of 03 per shard, the session store of 05,
 * the queue of 07, and a Redis client for the cache (04).
 */
import type { Redis } from 'ioredis';
import type { Cluster } from '../../03-db-replication/src/cluster.js';
import type { SessionStore } from '../../05-stateless/src/session-store.js';
import type { Queue } from '../../07-message-queue/src/queue.js';
import type { Router } from '../../09-sharding/src/router.js';
import type { Limits, SystemConfig } from './config.js';

export interface Tiers {
  ring: Router;
  shards: Map<string, Cluster>;
  sessions: SessionStore;
  /** The sessions store's client: sessions, and each user's read position. */
  sessionRedis: Redis;
  cache: Redis;
  queueRedis: Redis;
  queue: Queue;
  limits: Limits;
  /** Cache reads that found a copy, and those that went to the database. */
  cacheStats: { hits: number; misses: number };
}

/**
 * Task 1: one cluster per shard (createCluster of chapter 03, its first node the primary, in the mode the
 * README asks for), your ring over the shard names (createRing of chapter 09, 100 virtual nodes), the
 * session store of chapter 05 and the queue of chapter 07, each on a client of its own store.
 */
export async function createTiers(config: SystemConfig): Promise<Tiers> {
  throw new Error(
    `TODO (README, task 1): the tiers over ${config.shards.length} shards and three Redis stores`,
  );
}

/** Task 1: the cluster that holds a user's rows: the shard the ring gives for the user id. */
export function clusterOf(tiers: Tiers, user: number): { shard: string; cluster: Cluster } {
  throw new Error(`TODO (README, task 1): the shard of user ${user}`);
}

/** Task 1: closes the clusters and every Redis client createTiers opened. */
export async function closeTiers(tiers: Tiers): Promise<void> {
  throw new Error('TODO (README, task 1): close the tiers');
}
