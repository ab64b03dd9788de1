/**
 * The schema every shard has. README: task 2.
 * The tests read `users (id integer primary key, name text)` and
 * `photos (id text primary key, user_id integer, author_name text, title text, likes integer)` on each shard.
 */
import type { Pool } from 'pg';

export async function ensureSchema(pool: Pool): Promise<void> {
  throw new Error('TODO (README, task 2): create users and photos on this shard');
}
