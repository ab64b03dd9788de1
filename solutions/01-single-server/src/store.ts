/** Every SQL statement of the service, each with its values passed as parameters (never pasted in). */
import type { Pool } from 'pg';

export interface UserRow {
  id: number;
  name: string;
  email: string;
  created_at: Date;
}

export interface PhotoRow {
  id: number;
  user_id: number;
  title: string;
  url: string;
  created_at: Date;
}

const UNIQUE_VIOLATION = '23505';

/** Inserts a user; undefined when the email is taken (the database's unique constraint decides, race-free). */
export async function insertUser(pool: Pool, name: string, email: string): Promise<UserRow | undefined> {
  try {
    const result = await pool.query<UserRow>(
      'INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id, name, email, created_at',
      [name, email],
    );
    return result.rows[0];
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
    throw error;
  }
}

export async function findUser(pool: Pool, id: number): Promise<UserRow | undefined> {
  const result = await pool.query<UserRow>('SELECT id, name, email, created_at FROM users WHERE id = $1', [
    id,
  ]);
  return result.rows[0];
}

export async function recentUsers(pool: Pool, limit: number): Promise<UserRow[]> {
  const result = await pool.query<UserRow>(
    'SELECT id, name, email, created_at FROM users ORDER BY id DESC LIMIT $1',
    [limit],
  );
  return result.rows;
}

export async function insertPhoto(pool: Pool, userId: number, title: string, url: string): Promise<PhotoRow> {
  const result = await pool.query<PhotoRow>(
    'INSERT INTO photos (user_id, title, url) VALUES ($1, $2, $3) RETURNING id, user_id, title, url, created_at',
    [userId, title, url],
  );
  return result.rows[0] as PhotoRow;
}

export async function listPhotos(pool: Pool, userId: number): Promise<PhotoRow[]> {
  const result = await pool.query<PhotoRow>(
    'SELECT id, user_id, title, url, created_at FROM photos WHERE user_id = $1 ORDER BY id',
    [userId],
  );
  return result.rows;
}
