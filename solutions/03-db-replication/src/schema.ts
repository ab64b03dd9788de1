/**
 * The schema every node has: the application's `photos` table and the change log that replication ships.
 * A replica keeps a copy of the log it applied, so that it can become the primary and be followed.
 */
import type { Pool } from 'pg';

const TABLES: Record<string, string> = {
  photos: `CREATE TABLE photos (
    id integer PRIMARY KEY,
    owner text NOT NULL,
    title text NOT NULL,
    created_at timestamptz NOT NULL
  )`,
  // One row per change, in order. Row-based: it carries the values the primary wrote, never SQL to re-run.
  replication_log: `CREATE TABLE replication_log (
    seq integer PRIMARY KEY,
    op text NOT NULL,
    id integer NOT NULL,
    owner text NOT NULL,
    title text NOT NULL,
    created_at timestamptz NOT NULL
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
}
