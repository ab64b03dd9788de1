/**
 * The tiers every web server and worker share, built once from the config: the ring that places users on
 * shards (09), one replicated cluster per shard (03), sessions (05), the cache client (04) and the upload
 * queue (07). One cluster object per shard stands for a database proxy that every web server goes through.
 */
import type { Redis } from 'ioredis';
import { type Cluster, createCluster } from '../../03-db-replication/src/cluster.js';
import { createSessionStore, type SessionStore } from '../../05-stateless/src/session-store.js';
import { createQueue, type Queue } from '../../07-message-queue/src/queue.js';
import { createRing } from '../../09-sharding/src/ring.js';
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

export async function createTiers(config: SystemConfig): Promise<Tiers> {
  const { limits } = config;
  const shards = new Map<string, Cluster>();
  for (const shard of config.shards) {
    const [primary, ...replicas] = shard.nodes;
    if (!primary) throw new Error(`shard ${shard.name} has no database node`);
    shards.set(
      shard.name,
      await createCluster({ primary, replicas, mode: 'semi-sync', pullIntervalMs: limits.pullIntervalMs }),
    );
  }
  const sessionRedis = config.redis.sessions();
  const queueRedis = config.redis.queue();
  return {
    ring: createRing(
      config.shards.map((s) => s.name),
      { virtualNodes: 100 },
    ),
    shards,
    sessions: createSessionStore(sessionRedis, limits.sessionTtlSeconds),
    sessionRedis,
    cache: config.redis.cache(),
    queueRedis,
    queue: createQueue({
      redis: queueRedis,
      visibilityTimeoutMs: limits.visibilityTimeoutMs,
      maxAttempts: 5,
      backoffMs: 50,
    }),
    limits,
    cacheStats: { hits: 0, misses: 0 },
  };
}

/** The cluster that holds a user's rows: the shard the ring gives for the user id. */
export function clusterOf(tiers: Tiers, user: number): { shard: string; cluster: Cluster } {
  const shard = tiers.ring.shardFor(user);
  const cluster = tiers.shards.get(shard);
  if (!cluster) throw new Error(`the ring placed user ${user} on ${shard}, which is not a shard`);
  return { shard, cluster };
}

export async function closeTiers(tiers: Tiers): Promise<void> {
  await Promise.all([...tiers.shards.values()].map((c) => c.close()));
  for (const client of [tiers.sessionRedis, tiers.cache, tiers.queueRedis]) client.disconnect();
}
