/**
 * The schema every shard has: the same tables on every node, different rows. Photos carry their author's
 * name (denormalised), so that a photo list never needs the users table.
 */
import type { Pool } from 'pg';

const TABLES: Record<string, string> = {
  users: `CREATE TABLE users (
    id integer PRIMARY KEY,
    name text NOT NULL
  )`,
  photos: `CREATE TABLE photos (
    id text PRIMARY KEY,
    user_id integer NOT NULL,
    author_name text NOT NULL,
    title text NOT NULL,
    likes integer NOT NULL
  )`,
};

export async function ensureSchema(pool: Pool): Promise<void> {
  const existing = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
  );
  const have = new Set(existing.rows.map((r) => r.table_name));
  for (const [name, sql] of Object.entries(TABLES)) {
    if (!have.has(name)) await pool.query(sql);
  }
  if (!have.has('photos')) await pool.query('CREATE INDEX photos_by_user ON photos (user_id)');
}
