/** The change log: append on the primary, read and apply on a replica, and a node's position in it. */
import type { Pool, PoolClient } from 'pg';

export interface Photo {
  id: number;
  owner: string;
  title: string;
  createdAt: Date;
}

export interface Change {
  seq: number;
  op: 'upsert';
  photo: Photo;
}

interface LogRow {
  seq: number;
  op: 'upsert';
  id: number;
  owner: string;
  title: string;
  created_at: Date;
}

/** The highest sequence number in a node's log: how far it has got. */
export async function position(pool: Pool | PoolClient): Promise<number> {
  const result = await pool.query<{ p: number }>(
    'SELECT coalesce(max(seq), 0)::int AS p FROM replication_log',
  );
  return result.rows[0]?.p ?? 0;
}

export async function readLog(pool: Pool, after: number, limit = 500): Promise<Change[]> {
  const result = await pool.query<LogRow>(
    'SELECT seq, op, id, owner, title, created_at FROM replication_log WHERE seq > $1 ORDER BY seq LIMIT $2',
    [after, limit],
  );
  return result.rows.map((r) => ({
    seq: r.seq,
    op: r.op,
    photo: { id: r.id, owner: r.owner, title: r.title, createdAt: r.created_at },
  }));
}

/** Writes the row and its log entry in one transaction, on the primary or on a replica alike. */
export async function apply(pool: Pool, change: Change): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { id, owner, title, createdAt } = change.photo;
    await client.query(
      `INSERT INTO photos (id, owner, title, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, title = EXCLUDED.title, created_at = EXCLUDED.created_at`,
      [id, owner, title, createdAt],
    );
    await client.query(
      'INSERT INTO replication_log (seq, op, id, owner, title, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [change.seq, change.op, id, owner, title, createdAt],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function photoFromRow(r: { id: number; owner: string; title: string; created_at: Date }): Photo {
  return { id: r.id, owner: r.owner, title: r.title, createdAt: r.created_at };
}
