/**
 * Each data center's own data, and the log of its local writes that replication ships to the other data
 * centers. Conflict rule: last writer wins by version — every write of a user raises its version by one;
 * of two writes with the same version (made at once in two data centers), the one from the data center whose
 * id sorts last wins. Applying a change is idempotent and never logs it again, so nothing echoes back.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';

export interface Store {
  /** The data center's id: the tie-breaker of the conflict rule. */
  id: string;
  db: pg.Pool;
  redis: Redis;
}

export interface Change {
  seq: number;
  kind: 'user' | 'session';
  key: string;
  /** user: `{ name }`; session: `{ userId, expiresAt }`, or null for a logout. */
  body: string | null;
  version: number;
  origin: string;
  createdAt: number;
}

export interface User {
  id: string;
  name: string;
}

const SCHEMA = [
  `CREATE TABLE users (id text PRIMARY KEY, name text NOT NULL, version int NOT NULL, origin text NOT NULL)`,
  `CREATE TABLE changes (seq serial PRIMARY KEY, kind text NOT NULL, key text NOT NULL, body text,
     version int NOT NULL, origin text NOT NULL, created_at double precision NOT NULL)`,
  // Which of this data center's changes each other data center has applied (replicator.ts).
  `CREATE TABLE shipped (target text NOT NULL, seq int NOT NULL, PRIMARY KEY (target, seq))`,
];

/** Creates the tables once per database (pg-mem rejects IF NOT EXISTS with constraints on a second run). */
export async function migrate(db: pg.Pool): Promise<void> {
  const { rows } = await db.query(
    `SELECT table_name FROM information_schema.tables WHERE table_name IN ('users', 'changes', 'shipped')`,
  );
  const present = new Set(rows.map((r: { table_name: string }) => r.table_name));
  for (const statement of SCHEMA) {
    const table = /CREATE TABLE (\w+)/.exec(statement)?.[1] ?? '';
    if (!present.has(table)) await db.query(statement).catch(ignoreRaceWithAnotherServer);
  }
}

/** Two servers of one data center migrate at once: the second CREATE TABLE fails, and that is fine. */
function ignoreRaceWithAnotherServer(error: { code?: string; message?: string }) {
  if (error.code === '42P07' || /already exists/.test(error.message ?? '')) return;
  throw error;
}

export const sessionKey = (id: string) => `session:${id}`;

export async function getUser(db: pg.Pool, id: string): Promise<User | undefined> {
  const { rows } = await db.query('SELECT id, name FROM users WHERE id = $1', [id]);
  return rows[0];
}

/**
 * A local write of a user (create or rename): the row and its change are one transaction, so that no
 * write is ever made without its change (or logged without being made).
 */
export async function writeUser(store: Store, id: string, name: string): Promise<User> {
  return inTransaction(store.db, async (db) => {
    const updated = await db.query(
      'UPDATE users SET name = $2, version = version + 1, origin = $3 WHERE id = $1 RETURNING version',
      [id, name, store.id],
    );
    let version = updated.rows[0]?.version as number | undefined;
    if (version === undefined) {
      version = 1;
      await db.query('INSERT INTO users (id, name, version, origin) VALUES ($1, $2, 1, $3)', [
        id,
        name,
        store.id,
      ]);
    }
    await log(db, store.id, 'user', id, JSON.stringify({ name }), version);
    return { id, name };
  });
}

/** A local login (`userId`) or logout (null), logged for replication. */
export async function writeSession(
  store: Store,
  sessionId: string,
  session: { userId: string; expiresAt: number } | null,
): Promise<void> {
  await applySession(store.redis, sessionId, session);
  await log(store.db, store.id, 'session', sessionId, session && JSON.stringify(session), 0);
}

export async function readSession(redis: Redis, sessionId: string): Promise<{ userId: string } | undefined> {
  const raw = await redis.get(sessionKey(sessionId));
  return raw ? JSON.parse(raw) : undefined;
}

/**
 * Applies one change that came from another data center: a user change only if it is newer by the
 * conflict rule (a higher version; of equal versions, the origin that sorts last), so that every data
 * center ends with the same row whatever order the changes arrive in. Applying twice changes nothing.
 */
export async function applyChange(target: Store, change: Change): Promise<void> {
  if (change.kind === 'session') {
    return applySession(target.redis, change.key, change.body && JSON.parse(change.body));
  }
  const { name } = JSON.parse(change.body ?? '{}') as { name: string };
  const newer = await target.db.query(
    `UPDATE users SET name = $2, version = $3, origin = $4
     WHERE id = $1 AND (version < $3 OR (version = $3 AND origin < $4))`,
    [change.key, name, change.version, change.origin],
  );
  if (newer.rowCount === 0) {
    await target.db.query(
      'INSERT INTO users (id, name, version, origin) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
      [change.key, name, change.version, change.origin],
    );
  }
}

/** A session keeps the time it has left: it expires everywhere when it expires where it was made. */
async function applySession(
  redis: Redis,
  sessionId: string,
  session: { userId: string; expiresAt: number } | null,
): Promise<void> {
  const left = session ? session.expiresAt - Date.now() : 0;
  if (!session || left <= 0) {
    await redis.del(sessionKey(sessionId));
    return;
  }
  await redis.set(sessionKey(sessionId), JSON.stringify({ userId: session.userId }), 'PX', left);
}

type Queryable = Pick<pg.PoolClient, 'query'>;

async function log(
  db: Queryable,
  origin: string,
  kind: Change['kind'],
  key: string,
  body: string | null,
  version: number,
) {
  await db.query(
    'INSERT INTO changes (kind, key, body, version, origin, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [kind, key, body, version, origin, Date.now()],
  );
}

async function inTransaction<T>(pool: pg.Pool, work: (db: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A connection that failed may be broken (a stopped database): the pool drops it instead of reusing it.
    client.release(failed);
  }
}
