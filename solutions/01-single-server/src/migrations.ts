/**
 * The schema, as an ordered list of migrations. `migrate` applies the ones a database has not seen yet and
 * records each in `schema_migrations`, so running it at every start is safe.
 */
import type { Pool } from 'pg';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'create users',
    sql: `CREATE TABLE users (
      id serial PRIMARY KEY,
      name text NOT NULL,
      email text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
  },
  {
    version: 2,
    name: 'create photos',
    sql: `CREATE TABLE photos (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id),
      title text NOT NULL,
      url text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
  },
  { version: 3, name: 'index photos by user', sql: 'CREATE INDEX photos_user_id ON photos (user_id)' },
];

export async function migrate(pool: Pool): Promise<void> {
  if (!(await tableExists(pool, 'schema_migrations'))) {
    await pool
      .query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL)')
      .catch(ignoreIfAlreadyExists);
  }
  const applied = await pool.query<{ version: number }>('SELECT version FROM schema_migrations');
  const done = new Set(applied.rows.map((row) => row.version));
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      // Another server starting at the same moment may have applied it first: that is fine.
      const again = await pool.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (again.rowCount === 0) throw error;
    } finally {
      client.release();
    }
  }
}

async function tableExists(pool: Pool, table: string): Promise<boolean> {
  const result = await pool.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return (result.rowCount ?? 0) > 0;
}

function ignoreIfAlreadyExists(error: { code?: string }): void {
  // 42P07 duplicate_table, 23505 unique_violation (a concurrent CREATE TABLE on PostgreSQL).
  if (error.code !== '42P07' && error.code !== '23505') throw error;
}
