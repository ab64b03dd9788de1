/**
 * The schema every node has. README: task 1.
 * The tests read `photos (id integer primary key, owner text, title text, created_at timestamptz)` on each
 * node; the change log is yours to design (a table with a sequence number and the values of each change).
 */
import type { Pool } from 'pg';

export async function ensureSchema(pool: Pool): Promise<void> {
  throw new Error('TODO (README, task 1): create photos and the change log on this node');
}
