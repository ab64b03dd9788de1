/**
 * The databases that kit/db.ts hands out as nodes on a real PostgreSQL server (DATABASE_URL).
 *
 * CREATE DATABASE copies a template of several megabytes through the server's write-ahead log, and DROP
 * DATABASE removes it again: a tenth of a second of the server's time each, and a suite creates hundreds. So
 * the nodes' databases are kept and used again, as a pool of databases named `ztm_pool_<n>`:
 * - a process claims one by taking the session-level advisory lock (POOL_LOCK, n) on a connection it keeps
 *   open; the lock goes with the process, so a crashed or stopped test run frees its databases by itself;
 * - a claimed database is emptied first (every schema dropped, `public` created again, its settings reset
 *   and connections allowed), so a node always starts as a fresh database does;
 * - the end of a test run drops every pool database that nobody holds (kit/global-setup.ts).
 */
import pg from 'pg';

/** The first key of the pool's advisory locks ('ztm'); the second is the database's number. */
const POOL_LOCK = 0x7a746d;
const PREFIX = 'ztm_pool_';

export interface ClaimedDatabase {
  name: string;
  /** The server's URL with this database. */
  url: string;
  /** Gives the database back to the pool; its pools must be closed first. */
  release(): Promise<void>;
}

/** The connection that holds this process's locks, opened with the first claim. */
let lease: pg.Client | undefined;
/** Numbers this process holds now: advisory locks are re-entrant within a session, so they are skipped. */
const held = new Set<number>();
/** Claims run one at a time: two at once could take the same number on the one session. */
let queue: Promise<unknown> = Promise.resolve();

export function claimDatabase(adminUrl: string): Promise<ClaimedDatabase> {
  const claim = queue.then(() => claimNext(adminUrl));
  queue = claim.catch(() => undefined);
  return claim;
}

async function claimNext(adminUrl: string): Promise<ClaimedDatabase> {
  const client = await leaseOn(adminUrl);
  const existing = new Set(await poolNumbers(client));
  for (let n = 1; ; n++) {
    if (held.has(n)) continue;
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, $2) AS locked',
      [POOL_LOCK, n],
    );
    if (!rows[0]?.locked) continue;
    held.add(n);
    const name = `${PREFIX}${n}`;
    const url = withDatabase(adminUrl, name);
    try {
      if (existing.has(n) && (await exists(client, name))) await empty(client, name, url);
      else await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      await unlock(client, n);
      throw error;
    }
    return { name, url, release: () => unlock(client, n) };
  }
}

/** Drops every pool database that no process holds; how many it dropped. */
export async function dropIdleDatabases(adminUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let dropped = 0;
  try {
    for (const n of await poolNumbers(client)) {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, $2) AS locked',
        [POOL_LOCK, n],
      );
      if (!rows[0]?.locked) continue;
      try {
        await client.query(`DROP DATABASE IF EXISTS "${PREFIX}${n}" WITH (FORCE)`);
        dropped += 1;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [POOL_LOCK, n]);
      }
    }
  } finally {
    await client.end();
  }
  return dropped;
}

/** Runs one statement on the server's admin database (ALTER DATABASE cannot run in a pool's transaction). */
export async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function leaseOn(adminUrl: string): Promise<pg.Client> {
  if (lease) return lease;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  // Held for the process's life, without keeping it alive; if the server drops it, the locks are gone too.
  (client as unknown as { connection: { stream: { unref(): void } } }).connection.stream.unref();
  client.on('error', () => {
    if (lease === client) lease = undefined;
    held.clear();
  });
  lease = client;
  return client;
}

async function unlock(client: pg.Client, n: number): Promise<void> {
  held.delete(n);
  if (lease !== client) return; // the session is gone, and its locks with it
  await client.query('SELECT pg_advisory_unlock($1, $2)', [POOL_LOCK, n]);
}

async function poolNumbers(client: pg.Client): Promise<number[]> {
  const { rows } = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'ztm\\_pool\\_%'`,
  );
  return rows.map((r) => Number(r.datname.slice(PREFIX.length))).filter(Number.isInteger);
}

async function exists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

/** Makes a used pool database as a new one is: connections allowed, no setting, no object, no session. */
async function empty(client: pg.Client, name: string, url: string): Promise<void> {
  await client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
  await client.query(`ALTER DATABASE "${name}" RESET ALL`);
  await client.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [name],
  );
  const inside = new pg.Client({ connectionString: url });
  await inside.connect();
  try {
    await inside.query(`DO $$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
  CREATE SCHEMA public AUTHORIZATION pg_database_owner;
  GRANT USAGE ON SCHEMA public TO PUBLIC;
END $$`);
  } finally {
    await inside.end();
  }
}

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
