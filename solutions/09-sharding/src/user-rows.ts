/**
 * All the rows of one user on one shard: the `users` row and the user's photos. The unit that resharding
 * and isolating a celebrity move from one shard to another.
 */
import type { Pool } from 'pg';

export interface User {
  id: number;
  name: string;
}

export interface Photo {
  id: string;
  userId: number;
  /** Denormalised: a copy of the author's name, kept in step when the author is renamed. */
  authorName: string;
  title: string;
  likes: number;
}

export interface UserRows {
  user: User;
  photos: Photo[];
}

export const PHOTO_COLUMNS = 'id, user_id, author_name, title, likes';

export function photoFromRow(row: Record<string, unknown>): Photo {
  return {
    id: String(row.id),
    userId: Number(row.user_id),
    authorName: String(row.author_name),
    title: String(row.title),
    likes: Number(row.likes),
  };
}

/** The user's rows on this shard, or undefined when the shard has no such user. */
export async function readUserRows(pool: Pool, userId: number): Promise<UserRows | undefined> {
  const users = await pool.query('SELECT id, name FROM users WHERE id = $1', [userId]);
  const row = users.rows[0];
  if (!row) return undefined;
  const photos = await pool.query(`SELECT ${PHOTO_COLUMNS} FROM photos WHERE user_id = $1 ORDER BY id`, [
    userId,
  ]);
  return { user: { id: Number(row.id), name: String(row.name) }, photos: photos.rows.map(photoFromRow) };
}

/** Writes the rows to this shard; writing the same rows twice changes nothing (a copy can be retried). */
export async function writeUserRows(pool: Pool, rows: UserRows): Promise<void> {
  await pool.query(
    'INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name',
    [rows.user.id, rows.user.name],
  );
  for (const p of rows.photos) {
    await pool.query(
      `INSERT INTO photos (${PHOTO_COLUMNS}) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET author_name = EXCLUDED.author_name, title = EXCLUDED.title,
         likes = EXCLUDED.likes`,
      [p.id, p.userId, p.authorName, p.title, p.likes],
    );
  }
}

/** Removes the user's rows from this shard (after they were copied and reads were switched away). */
export async function deleteUserRows(pool: Pool, userId: number): Promise<void> {
  await pool.query('DELETE FROM photos WHERE user_id = $1', [userId]);
  await pool.query('DELETE FROM users WHERE id = $1', [userId]);
}

/** The ids of the users this shard holds. */
export async function userIds(pool: Pool): Promise<number[]> {
  const result = await pool.query('SELECT id FROM users ORDER BY id');
  return result.rows.map((r) => Number(r.id));
}
