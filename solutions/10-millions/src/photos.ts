/**
 * The photo service's policies across tiers (README, task 2): where each write goes and when it counts as
 * done, where each read comes from, and what a request does when a tier behind it fails.
 */
import type { Photo } from '../../03-db-replication/src/cluster.js';
import { HttpError, withTimeout } from './errors.js';
import { albumKey, listKey, positionKey } from './keys.js';
import { clusterOf, type Tiers } from './tiers.js';

/** A photo as clients see it. Its id names the shard, so that nothing has to look it up. */
export interface PhotoView {
  id: string;
  owner: number;
  title: string;
}

/** How long a request waits for the cache before it treats the call as a miss. */
const CACHE_WAIT_MS = 250;

const view = (shard: string, photo: Photo): PhotoView => ({
  id: `${shard}.${photo.id}`,
  owner: Number(photo.owner),
  title: photo.title,
});

/** A tier that failed becomes a 503 the client may retry: the write was not acknowledged. */
function unavailable(what: string, error: unknown): HttpError {
  return new HttpError(503, `${what}: ${(error as Error).message}; retry`);
}

/**
 * Writes go to the owner's shard, whose cluster acknowledges them once a replica has them (semi-sync).
 * The owner's read position is kept beside their session; the cached list is dropped; the job is queued.
 */
export async function uploadPhoto(tiers: Tiers, user: number, title: string): Promise<PhotoView> {
  const { shard, cluster } = clusterOf(tiers, user);
  const session = { lastWrite: await readPosition(tiers, user) };
  let photo: Photo;
  try {
    photo = await cluster.addPhoto({ owner: String(user), title }, session);
  } catch (error) {
    throw unavailable(`shard ${shard} did not take the upload`, error);
  }
  await tiers.sessionRedis.set(positionKey(user), String(session.lastWrite));
  await withTimeout(tiers.cache.del(listKey(user)), CACHE_WAIT_MS, 'cache').catch(() => undefined);
  const shown = view(shard, photo);
  await tiers.queue.enqueue({ photo: shown.id, owner: String(user) });
  return shown;
}

/** The owner's own list: from a node that has applied their last write (read-your-writes), never the cache. */
export async function ownPhotos(tiers: Tiers, user: number): Promise<PhotoView[]> {
  const { shard, cluster } = clusterOf(tiers, user);
  const lastWrite = await readPosition(tiers, user);
  try {
    return (await cluster.listPhotos(String(user), { lastWrite })).map((p) => view(shard, p));
  } catch (error) {
    throw unavailable(`shard ${shard} did not answer`, error);
  }
}

/**
 * Someone else's list: cache-aside with a TTL. A cache that fails or hangs counts as a miss: the database
 * answers, and the request does not fail.
 */
export async function othersPhotos(tiers: Tiers, user: number): Promise<PhotoView[]> {
  const cached = await withTimeout(tiers.cache.get(listKey(user)), CACHE_WAIT_MS, 'cache').catch(() => null);
  if (cached) {
    tiers.cacheStats.hits++;
    return JSON.parse(cached) as PhotoView[];
  }
  tiers.cacheStats.misses++;
  const { shard, cluster } = clusterOf(tiers, user);
  let photos: PhotoView[];
  try {
    photos = (await cluster.listPhotos(String(user))).map((p) => view(shard, p));
  } catch (error) {
    throw unavailable(`shard ${shard} did not answer`, error);
  }
  const ttl = tiers.limits.cacheTtlSeconds;
  await withTimeout(
    tiers.cache.set(listKey(user), JSON.stringify(photos), 'EX', ttl),
    CACHE_WAIT_MS,
    'cache',
  ).catch(() => undefined);
  return photos;
}

/** The processed photos of a user: what the workers' completions appended to the album, in order. */
export async function albumOf(tiers: Tiers, user: number): Promise<string[]> {
  return tiers.queueRedis.lrange(albumKey(user), 0, -1);
}

/** The position in the owner's shard log that their reads must reach. */
async function readPosition(tiers: Tiers, user: number): Promise<number> {
  return Number((await tiers.sessionRedis.get(positionKey(user))) ?? 0);
}
