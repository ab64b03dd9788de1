/**
 * The photo service's policies across tiers. README: task 2: where each write goes and when it counts as
 * done, where each read comes from, and what a request does when a tier behind it fails.
 */
import type { Tiers } from './tiers.js';

/** A photo as clients see it. Its id names the shard, so that nothing has to look it up. */
export interface PhotoView {
  id: string;
  owner: number;
  title: string;
}

/** Task 2: the write on the owner's shard, acknowledged as the README says; then the cache and the queue. */
export async function uploadPhoto(tiers: Tiers, user: number, title: string): Promise<PhotoView> {
  throw new Error(`TODO (README, task 2): upload "${title}" for user ${user}`);
}

/** Task 2: the owner's own list, with every write of theirs that was acknowledged. */
export async function ownPhotos(tiers: Tiers, user: number): Promise<PhotoView[]> {
  throw new Error(`TODO (README, task 2): user ${user}'s own photos`);
}

/** Task 2: someone else's list, through the cache; a cache that fails or hangs is a miss. */
export async function othersPhotos(tiers: Tiers, user: number): Promise<PhotoView[]> {
  throw new Error(`TODO (README, task 2): user ${user}'s photos as others see them`);
}

/** Task 2: the ids of a user's processed photos, in the order they were processed. */
export async function albumOf(tiers: Tiers, user: number): Promise<string[]> {
  throw new Error(`TODO (README, task 2): user ${user}'s album`);
}
