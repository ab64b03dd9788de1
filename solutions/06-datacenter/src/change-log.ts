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
  `CREATE TABLE replication_cursor (source text PRIMARY KEY, seq int NOT NULL)`,
];

/** Creates the tables once per database (pg-mem rejects IF NOT EXISTS with constraints on a second run). */
export async function migrate(db: pg.Pool): Promise<void> {
  const { rows } = await db.query(
    `SELECT table_name FROM information_schema.tables WHERE table_name IN ('users', 'changes', 'replication_cursor')`,
  );
  const present = new Set(rows.map((r: { table_name: string }) => r.table_name));
  for (const statement of SCHEMA) {
    const table = /CREATE TABLE (\w+)/.exec(statement)?.[1] ?? '';
    if (!present.has(table)) await db.query(statement);
  }
}

export const sessionKey = (id: string) => `session:${id}`;

export async function getUser(db: pg.Pool, id: string): Promise<User | undefined> {
  const { rows } = await db.query('SELECT id, name FROM users WHERE id = $1', [id]);
  return rows[0];
}

/** A local write of a user (create or rename), logged for replication. */
export async function writeUser(store: Store, id: string, name: string): Promise<User> {
  const updated = await store.db.query(
    'UPDATE users SET name = $2, version = version + 1, origin = $3 WHERE id = $1 RETURNING version',
    [id, name, store.id],
  );
  let version = updated.rows[0]?.version as number | undefined;
  if (version === undefined) {
    version = 1;
    await store.db.query('INSERT INTO users (id, name, version, origin) VALUES ($1, $2, 1, $3)', [
      id,
      name,
      store.id,
    ]);
  }
  await log(store, 'user', id, JSON.stringify({ name }), version);
  return { id, name };
}

/** A local login (`userId`) or logout (null), logged for replication. */
export async function writeSession(
  store: Store,
  sessionId: string,
  session: { userId: string; expiresAt: number } | null,
): Promise<void> {
  await applySession(store.redis, sessionId, session);
  await log(store, 'session', sessionId, session && JSON.stringify(session), 0);
}

export async function readSession(redis: Redis, sessionId: string): Promise<{ userId: string } | undefined> {
  const raw = await redis.get(sessionKey(sessionId));
  return raw ? JSON.parse(raw) : undefined;
}

/** Applies one change that came from another data center. */
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

async function log(store: Store, kind: Change['kind'], key: string, body: string | null, version: number) {
  await store.db.query(
    'INSERT INTO changes (kind, key, body, version, origin, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [kind, key, body, version, store.id, Date.now()],
  );
}
