/**
 * Photos: each lives on its author's shard, and its id names the author (`<user id>-<uuid>`), so that a
 * like finds the one shard to ask from the id alone — unique across shards, which `serial` is not.
 */
import { randomUUID } from 'node:crypto';
import { assertUserId } from './router.js';
import type { ShardSet } from './shard-set.js';
import { PHOTO_COLUMNS, type Photo, photoFromRow } from './user-rows.js';

const PHOTO_ID = /^([1-9][0-9]{0,9})-[0-9a-f-]{36}$/;

/** The author of a photo, read from its id; an id that names no author is an unknown photo. */
export function authorOf(photoId: string): number {
  const match = typeof photoId === 'string' ? PHOTO_ID.exec(photoId) : null;
  const userId = Number(match?.[1]);
  if (!match || !(userId >= 1 && userId <= 2_147_483_647))
    throw new Error(`unknown photo ${String(photoId)}`);
  return userId;
}

export function addPhoto(set: ShardSet, input: { userId: number; title: string }): Promise<Photo> {
  const { userId, title } = input;
  assertUserId(userId);
  if (typeof title !== 'string' || title.length === 0 || title.length > 200)
    throw new Error('a photo title is 1 to 200 characters');
  return set.locks.withUser(userId, async () => {
    const pool = set.ownerPool(userId);
    const author = await pool.query('SELECT name FROM users WHERE id = $1', [userId]);
    if (author.rows.length === 0) throw new Error(`unknown user ${userId}`);
    const photo: Photo = {
      id: `${userId}-${randomUUID()}`,
      userId,
      authorName: String(author.rows[0].name),
      title,
      likes: 0,
    };
    await pool.query(`INSERT INTO photos (${PHOTO_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
      photo.id,
      photo.userId,
      photo.authorName,
      photo.title,
      photo.likes,
    ]);
    return photo;
  });
}

export function like(set: ShardSet, photoId: string, by = 1): Promise<Photo> {
  const userId = authorOf(photoId);
  if (!Number.isInteger(by) || by < 1 || by > 1_000_000) throw new Error('likes come 1 to 1000000 at a time');
  return set.locks.withUser(userId, async () => {
    const result = await set
      .ownerPool(userId)
      .query(`UPDATE photos SET likes = likes + $2 WHERE id = $1 RETURNING ${PHOTO_COLUMNS}`, [photoId, by]);
    if (result.rows.length === 0) throw new Error(`unknown photo ${photoId}`);
    return photoFromRow(result.rows[0]);
  });
}

/** The user's photos, from the one shard that holds them; each read counts towards finding a celebrity. */
export async function photosOf(set: ShardSet, userId: number): Promise<Photo[]> {
  assertUserId(userId);
  set.reads.count(userId);
  const result = await set.moves.read(
    userId,
    () => set.ownerPool(userId),
    (pool) => pool.query(`SELECT ${PHOTO_COLUMNS} FROM photos WHERE user_id = $1 ORDER BY id`, [userId]),
  );
  return result.rows.map(photoFromRow);
}
