/**
 * The databases that kit/db.ts hands out as nodes on a real PostgreSQL server (DATABASE_URL).
 *
 * CREATE DATABASE copies a template of several megabytes through the server's write-ahead log, and DROP
 * DATABASE removes it again: a tenth of a second of the server's time each, and a suite creates hundreds. So
 * the nodes' databases are kept and used again, as a pool of databases named `ztm_pool_<a>_<n>`, where <a> is
 * the object id of DATABASE_URL's own database (the admin database):
 * - a process claims one by taking the session-level advisory lock (POOL_LOCK_KEY, n) on a connection to the
 *   admin database that it keeps open (the lease), and keeps the lock when its node gives the database back,
 *   for its own next node. Advisory locks belong to the database they are taken in, hence <a> in the names:
 *   runs on other admin databases have pools of their own. The locks go with the process, so a finished,
 *   crashed or stopped test process frees its databases by itself. (Session locks need a session: a
 *   DATABASE_URL through a transaction pooler such as PgBouncer will not do.)
 * - a claimed database is emptied first: connections allowed, its settings reset, sessions and prepared
 *   transactions ended, every schema dropped and `public` created again as a new database has it. Large
 *   objects and publications, which no chapter uses, are not removed.
 * - the end of a test run drops every pool database that nobody holds (kit/global-setup.ts); a run stopped
 *   with Ctrl-C leaves its databases to the next run, which uses them and drops them at its end.
 */
import pg from 'pg';

/** The first key of the pool's advisory locks ('ztm'); the second is the database's number. */
const POOL_LOCK_KEY = 0x7a746d;
/** A number that cannot be emptied nor created again is skipped; this many in a row is an error. */
const MAX_SKIPPED = 3;
/** How long emptying a database may wait for a lock (a session or transaction that would not end). */
const LOCK_TIMEOUT = '5s';

export interface ClaimedDatabase {
  name: string;
  /** The server's URL with this database. */
  url: string;
  /** Gives the database back to the pool; its pools must be closed first. */
  release(): Promise<void>;
}

/** The connection that holds this process's locks. */
interface Lease {
  client: pg.Client;
  prefix: string;
  /** server_version_num: 150000 for 15.0. */
  serverVersion: number;
  alive: boolean;
  /** Numbers given back by this process's nodes, still locked: the next claims here take them first. */
  parked: number[];
}

let current: Lease | undefined;
let opening: Promise<Lease> | undefined;
/**
 * Numbers this process has handed out and not yet got back, whichever lease took them: advisory locks are
 * re-entrant within a session, so the next claims skip these.
 */
const inUse = new Set<number>();
/** Claims run one at a time: two at once could take the same number on the one session. */
let queue: Promise<unknown> = Promise.resolve();

export function claimDatabase(adminUrl: string): Promise<ClaimedDatabase> {
  const claim = queue.then(() => claimNext(adminUrl));
  queue = claim.catch(() => undefined);
  return claim;
}

async function claimNext(adminUrl: string): Promise<ClaimedDatabase> {
  const owner = await leaseOn(adminUrl);
  const { client, prefix } = owner;
  let skipped = 0;
  const parked = owner.parked.pop();
  for (let n = parked ?? 1; ; n++) {
    if (n !== parked && (inUse.has(n) || !(await tryLock(client, n)))) continue;
    inUse.add(n);
    const name = `${prefix}${n}`;
    const url = withDatabase(adminUrl, name);
    try {
      await prepare(owner, name, url);
      return { name, url, release: () => park(owner, n) };
    } catch (error) {
      await unlock(owner, n);
      skipped += 1;
      if (skipped >= MAX_SKIPPED)
        throw new Error(`[kit] cannot prepare a database for a node on ${redacted(adminUrl)}: ${error}`);
    }
  }
}

/** A new database, or a used one emptied; one that cannot be emptied is dropped and created anew. */
async function prepare(owner: Lease, name: string, url: string): Promise<void> {
  const { client } = owner;
  if (!(await exists(client, name))) return createOrEmpty(owner, name, url);
  try {
    await empty(owner, name, url);
  } catch {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  }
}

/** CREATE DATABASE; "already exists" means a run created it since the check, and it is emptied instead. */
async function createOrEmpty(owner: Lease, name: string, url: string): Promise<void> {
  try {
    await owner.client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error;
    await empty(owner, name, url);
  }
}

/** Drops every pool database of this admin database that no process holds; how many it dropped. */
export async function dropIdleDatabases(adminUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let dropped = 0;
  try {
    const prefix = await poolPrefix(client);
    for (const n of await poolNumbers(client, prefix)) {
      if (!(await tryLock(client, n))) continue;
      try {
        await client.query(`DROP DATABASE IF EXISTS "${prefix}${n}" WITH (FORCE)`);
        dropped += 1;
      } catch (error) {
        console.warn(`[kit] could not drop the pool database ${prefix}${n}: ${error}`);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [POOL_LOCK_KEY, n]);
      }
    }
  } finally {
    await client.end();
  }
  return dropped;
}

/**
 * Runs one statement on the server's admin database: a node's own database refuses connections while the
 * node is stopped, and ending its sessions from inside would end the caller's too.
 */
export async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The sessions of a database that a test opened (not the server's own workers, such as autovacuum). */
export function endSessionsSql(name: string): string {
  return `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND backend_type = 'client backend'`;
}

async function leaseOn(adminUrl: string): Promise<Lease> {
  if (current?.alive) return current;
  opening ??= openLease(adminUrl).finally(() => {
    opening = undefined;
  });
  current = await opening;
  return current;
}

async function openLease(adminUrl: string): Promise<Lease> {
  const client = new pg.Client({
    connectionString: adminUrl,
    keepAlive: true,
    application_name: 'zero-to-millions kit: database pool',
  });
  await client.connect();
  const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  const serverVersion = Number(rows[0]?.v);
  const owner: Lease = { client, prefix: await poolPrefix(client), serverVersion, alive: true, parked: [] };
  if (serverVersion >= 140000) await client.query('SET idle_session_timeout = 0');
  // The locks go with this session. If the server ends it, the databases in use are no longer held, and
  // the next claim opens a new lease; tests that run on past that point were on a server that restarted.
  client.on('error', () => {
    owner.alive = false;
  });
  // Held for the process's life without keeping it alive (a test worker ends when its files are done).
  (client as unknown as { connection?: { stream?: { unref?(): void } } }).connection?.stream?.unref?.();
  return owner;
}

async function tryLock(client: pg.Client, n: number): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
    POOL_LOCK_KEY,
    n,
  ]);
  return rows[0]?.locked === true;
}

/** Gives a number back: kept locked for this process's next claim (its lock ends with the process). */
async function park(owner: Lease, n: number): Promise<void> {
  inUse.delete(n);
  if (owner.alive) owner.parked.push(n); // a lost session took its locks with it
}

async function unlock(owner: Lease, n: number): Promise<void> {
  inUse.delete(n);
  if (!owner.alive) return;
  await owner.client.query('SELECT pg_advisory_unlock($1, $2)', [POOL_LOCK_KEY, n]);
}

/** `ztm_pool_<object id of the admin database>_`. */
async function poolPrefix(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ oid: string }>(
    'SELECT oid FROM pg_database WHERE datname = current_database()',
  );
  return `ztm_pool_${rows[0]?.oid}_`;
}

async function poolNumbers(client: pg.Client, prefix: string): Promise<number[]> {
  const { rows } = await client.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
    [prefix],
  );
  return rows
    .map((r) => r.datname.slice(prefix.length))
    .filter((rest) => /^\d+$/.test(rest))
    .map(Number);
}

async function exists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

/** Makes a used pool database as a new one is: connections allowed, no setting, no session, no object. */
async function empty({ client, serverVersion }: Lease, name: string, url: string): Promise<void> {
  await client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
  await client.query(`ALTER DATABASE "${name}" RESET ALL`);
  await client.query(endSessionsSql(name));
  const inside = new pg.Client({ connectionString: url });
  await inside.connect();
  try {
    await inside.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    const prepared = await inside.query<{ gid: string }>(
      'SELECT gid FROM pg_prepared_xacts WHERE database = current_database()',
    );
    for (const { gid } of prepared.rows) await inside.query(`ROLLBACK PREPARED '${gid.replace(/'/g, "''")}'`);
    await inside.query(dropSchemasSql(serverVersion));
  } finally {
    await inside.end();
  }
}

/**
 * Drops every schema, then creates `public` as a new database has it: from PostgreSQL 15 owned by
 * pg_database_owner with USAGE for everyone; before, with CREATE and USAGE for everyone.
 */
function dropSchemasSql(serverVersion: number): string {
  const publicSchema =
    serverVersion >= 150000
      ? 'CREATE SCHEMA public AUTHORIZATION pg_database_owner; GRANT USAGE ON SCHEMA public TO PUBLIC;'
      : 'CREATE SCHEMA public; GRANT ALL ON SCHEMA public TO PUBLIC;';
  return `DO $$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
  ${publicSchema}
END $$`;
}

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function redacted(adminUrl: string): string {
  const url = new URL(adminUrl);
  if (url.password) url.password = '***';
  return url.toString();
}
