/**
 * The photo service's data tier over N shards. README: tasks 2–5, one operation at a time: each method
 * below says the task it belongs to. Split the work into files of your own as it grows.
 */
import type { Pool } from 'pg';
import type { Photo, User } from './user-rows.js';

export type { Photo, User } from './user-rows.js';

export interface ShardConfig {
  name: string;
  pool: Pool;
}

export interface ShardedStoreOptions {
  shards: ShardConfig[];
  /** Points per shard on the consistent-hashing ring (default 100). */
  virtualNodes?: number;
}

export interface ShardedStore {
  addUser(user: User): Promise<User>;
  getUser(id: number): Promise<User | undefined>;
  /** Renames the user, and the author name on every photo of theirs. */
  renameUser(id: number, name: string): Promise<User>;
  addPhoto(input: { userId: number; title: string }): Promise<Photo>;
  /** Adds `by` likes (default 1) to a photo. */
  like(photoId: string, by?: number): Promise<Photo>;
  /** The user's photos, from the one shard that holds them. */
  photosOf(userId: number): Promise<Photo[]>;
  /** The `n` most liked photos of the whole service (scatter-gather over every shard). */
  topPhotos(n: number): Promise<Photo[]>;
  /** Users whose share of the reads so far is at least `minShare` (0–1), the busiest first. */
  hotUsers(minShare: number): number[];
  /** Gives one user (a celebrity) a shard of its own, moving their rows there. */
  isolate(userId: number, shard: ShardConfig): Promise<void>;
  /** Adds a shard to the ring and moves the users it now owns, while reads and writes go on. */
  addShard(shard: ShardConfig): Promise<void>;
  close(): Promise<void>;
}

export async function createShardedStore(options: ShardedStoreOptions): Promise<ShardedStore> {
  // TODO task 2: check the shard names (assertShardNames), ensureSchema on every shard, keep each shard's
  //   pool by name, and build your ring over the names (createRing, 100 virtual nodes unless told).
  const shardCount = options.shards.length;
  return {
    // Task 2 — every call that names a user asks the ring for the user's shard and uses that pool only.
    async addUser(user) {
      throw new Error(`TODO (README, task 2): sign up user ${user.id} on their shard (of ${shardCount})`);
    },
    async getUser(id) {
      throw new Error(`TODO (README, task 2): read user ${id} from their shard`);
    },
    async renameUser(id, name) {
      throw new Error(`TODO (README, task 2): rename user ${id} to ${name}, and their photos' author name`);
    },
    async addPhoto(input) {
      throw new Error(
        `TODO (README, task 2): a photo of user ${input.userId}, with an id that leads to them`,
      );
    },
    async like(photoId, by) {
      throw new Error(`TODO (README, task 2): ${by ?? 1} likes for ${photoId}, on its author's shard alone`);
    },
    async photosOf(userId) {
      throw new Error(`TODO (README, task 2): user ${userId}'s photos, from their shard alone`);
    },
    async close() {
      // Task 2, if your store keeps work of its own in flight: let it finish here.
    },
    // Task 3 — resharding online.
    async addShard(shard) {
      throw new Error(`TODO (README, task 3): add shard ${shard.name} and move the users it now owns`);
    },
    // Task 4 — the celebrity problem (photosOf counts the reads).
    hotUsers(minShare) {
      throw new Error(`TODO (README, task 4): the users with at least ${minShare} of the reads`);
    },
    async isolate(userId, shard) {
      throw new Error(`TODO (README, task 4): give user ${userId} the shard ${shard.name} of their own`);
    },
    // Task 5 — joins across shards.
    async topPhotos(n) {
      throw new Error(`TODO (README, task 5): the ${n} most liked photos, from every shard`);
    },
  };
}
