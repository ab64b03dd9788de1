/** The photo service's data tier over N shards. README: tasks 2–5. */
import type { Pool } from 'pg';
import { createRing } from './ring.js';
import { assertShardNames, assertUserId, type Router } from './router.js';
import { ensureSchema } from './schema.js';
import { deleteUserRows, type Photo, readUserRows, type User, userIds, writeUserRows } from './user-rows.js';

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
  // TODO task 2: ensureSchema on every shard; a ring over the shard names; each call asks the ring
  //   which shard holds the user and uses that shard's pool.
  // TODO task 3: addShard — copy, switch, delete, one user at a time, while writes go on.
  // TODO task 4: count reads per user (hotUsers); isolate — move one user to a shard of its own.
  // TODO task 5: topPhotos — scatter to every shard, gather, merge; renames update the photo rows too.
  throw new Error(`TODO (README, task 2): a store over ${options.shards.length} shards`);
}
