/**
 * The photo service's data tier over N shards. Every row of a user lives on the shard the ring gives for
 * the user id (the sharding key); a query by user id goes to that one shard, a global query (top photos)
 * to all of them. Shards can be added while writes go on, and a celebrity can get a shard of its own.
 * Each operation lives in a file of its own; this one puts them together.
 */
import { isolate } from './celebrity.js';
import { addPhoto, like, photosOf } from './photos.js';
import { addShard } from './resharding.js';
import { topPhotos } from './scatter-gather.js';
import { openShardSet, type ShardConfig } from './shard-set.js';
import type { Photo, User } from './user-rows.js';
import { addUser, getUser, renameUser } from './users.js';

export type { ShardConfig } from './shard-set.js';
export type { Photo, User } from './user-rows.js';

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
  const set = await openShardSet(options.shards, options.virtualNodes ?? 100);
  return {
    addUser: (user) => addUser(set, user),
    getUser: (id) => getUser(set, id),
    renameUser: (id, name) => renameUser(set, id, name),
    addPhoto: (input) => addPhoto(set, input),
    like: (photoId, by) => like(set, photoId, by),
    photosOf: (userId) => photosOf(set, userId),
    close: () => set.locks.drain(),
    addShard: (shard) => addShard(set, shard),
    hotUsers: (minShare) => set.reads.hotUsers(minShare),
    isolate: (userId, shard) => isolate(set, userId, shard),
    topPhotos: (n) => topPhotos(set, n),
  };
}
