/**
 * A primary and its replicas behind one interface. Writes go to the primary, which records each change
 * in its log; replicas pull the log and apply it in order. Reads go to replicas unless the client's own
 * last write has not reached them. When the primary fails, the most up-to-date replica takes its place.
 */
import type { Pool } from 'pg';
import { apply, type Change, type Photo, photoFromRow, position, readLog } from './change-log.js';
import { ensureSchema } from './schema.js';

export type { Photo } from './change-log.js';

export interface NodeConfig {
  name: string;
  pool: Pool;
}

export interface ClusterOptions {
  primary: NodeConfig;
  replicas: NodeConfig[];
  /** semi-sync: a write is acknowledged once one replica has applied it. async: once the primary has. */
  mode: 'semi-sync' | 'async';
  /** Replicas pull by themselves at this interval; without it they pull only when sync() asks. */
  pullIntervalMs?: number;
}

/** What one client has written: its reads must see at least this position. */
export interface Session {
  lastWrite: number;
}

export interface RecoveryReport {
  node: string;
  /** Writes the node had accepted as primary that never reached the node promoted in its place. */
  unreplicated: Photo[];
}

export interface Cluster {
  addPhoto(input: { owner: string; title: string }, session?: Session): Promise<Photo>;
  renamePhoto(id: number, title: string, session?: Session): Promise<Photo | undefined>;
  getPhoto(id: number, session?: Session): Promise<Photo | undefined>;
  listPhotos(owner: string, session?: Session): Promise<Photo[]>;
  /** A new client session for read-your-writes. */
  session(): Session;
  /** The name of the node that takes writes now. */
  primary(): string;
  /** Each node's position in the change log; null for a node that does not answer. */
  positions(): Promise<Record<string, number | null>>;
  /** Lets every reachable replica pull until it has caught up with the primary. */
  sync(): Promise<void>;
  /** Brings a failed node back as a replica of the current primary, and reports what only it had. */
  recover(name: string): Promise<RecoveryReport>;
  close(): Promise<void>;
}

interface NodeState {
  name: string;
  pool: Pool;
  role: 'primary' | 'replica' | 'failed';
  /** How far this node has applied the log, as far as the cluster knows. */
  applied: number;
  /** False after a read failed on it, until it pulls again successfully. */
  readable: boolean;
  /** Pulls on one replica run one after another. */
  pulling: Promise<void>;
}

export async function createCluster(options: ClusterOptions): Promise<Cluster> {
  const nodes = new Map<string, NodeState>();
  for (const [config, role] of [
    [options.primary, 'primary'],
    ...options.replicas.map((r) => [r, 'replica'] as const),
  ] as const) {
    await ensureSchema(config.pool);
    const applied = await position(config.pool);
    nodes.set(config.name, { ...config, role, applied, readable: true, pulling: Promise.resolve() });
  }
  let primaryName = options.primary.name;
  /** Where each demoted primary's history and its successor's part: what it had beyond is unreplicated. */
  const promotedAt = new Map<string, number>();
  let writing: Promise<unknown> = Promise.resolve();
  let nextRead = 0;

  const primary = () => nodes.get(primaryName) as NodeState;
  const replicas = () => [...nodes.values()].filter((n) => n.role === 'replica');

  /** One writer at a time: the log gets one gap-free order. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = writing.then(work, work);
    writing = result.catch(() => undefined);
    return result;
  };

  const pull = (replica: NodeState): Promise<void> => {
    const run = async () => {
      const source = primary();
      let from = await position(replica.pool);
      for (;;) {
        const changes = await readLog(source.pool, from);
        for (const change of changes) {
          await apply(replica.pool, change);
          from = change.seq;
          replica.applied = change.seq;
        }
        if (changes.length < 500) break;
      }
      replica.applied = from;
      replica.readable = true;
    };
    const done = replica.pulling.then(run, run);
    replica.pulling = done.catch(() => undefined);
    return done;
  };

  const failover = async () => {
    const old = primary();
    old.role = 'failed';
    const reachable = await Promise.all(
      replicas().map(async (r) => ({ r, at: await position(r.pool).catch(() => -1) })),
    );
    const best = reachable.filter((x) => x.at >= 0).sort((a, b) => b.at - a.at)[0];
    if (!best) throw new Error('the primary failed and no replica is left to promote');
    best.r.role = 'primary';
    best.r.applied = best.at;
    promotedAt.set(old.name, best.at);
    primaryName = best.r.name;
  };

  const write = (change: (pool: Pool) => Promise<Photo | undefined>, session?: Session) =>
    exclusive(async () => {
      const target = primary();
      let photo: Photo | undefined;
      let seq: number;
      try {
        photo = await change(target.pool);
        seq = await position(target.pool);
      } catch (error) {
        const alive = await position(target.pool).then(
          () => true,
          () => false,
        );
        if (alive) throw error;
        await failover();
        throw new Error(`the primary ${target.name} failed; this write was not acknowledged (retry it)`, {
          cause: error,
        });
      }
      target.applied = seq;
      if (options.mode === 'semi-sync' && photo) {
        await Promise.any(
          replicas().map((r) =>
            pull(r).then(() => {
              if (r.applied < seq) throw new Error(`${r.name} is behind`);
            }),
          ),
        ).catch(() => {
          throw new Error(`no replica applied write ${seq}: not acknowledged (semi-synchronous mode)`);
        });
      }
      if (session) session.lastWrite = Math.max(session.lastWrite, seq);
      return photo;
    });

  const append = async (pool: Pool, photo: Photo): Promise<Photo> => {
    await apply(pool, { seq: (await position(pool)) + 1, op: 'upsert', photo } satisfies Change);
    return photo;
  };

  const read = async <T>(query: (pool: Pool) => Promise<T>, session?: Session): Promise<T> => {
    const need = session?.lastWrite ?? 0;
    const eligible = replicas().filter((r) => r.readable && r.applied >= need);
    for (let i = 0; i < eligible.length; i++) {
      const replica = eligible[(nextRead + i) % eligible.length] as NodeState;
      try {
        const result = await query(replica.pool);
        nextRead = (nextRead + i + 1) % Number.MAX_SAFE_INTEGER;
        return result;
      } catch {
        replica.readable = false;
      }
    }
    return query(primary().pool);
  };

  const timer =
    options.pullIntervalMs === undefined
      ? undefined
      : setInterval(() => void sync().catch(() => undefined), options.pullIntervalMs);

  const sync = async () => {
    await Promise.all(replicas().map((r) => pull(r).catch(() => undefined)));
  };

  return {
    addPhoto: ({ owner, title }, session) =>
      write(async (pool) => {
        const next = await pool.query<{ id: number }>(
          'SELECT coalesce(max(id), 0)::int + 1 AS id FROM photos',
        );
        const photo = { id: next.rows[0]?.id ?? 1, owner, title, createdAt: new Date() };
        return append(pool, photo);
      }, session) as Promise<Photo>,
    renamePhoto: (id, title, session) =>
      write(async (pool) => {
        const found = await pool.query('SELECT id, owner, title, created_at FROM photos WHERE id = $1', [id]);
        const row = found.rows[0];
        return row ? append(pool, { ...photoFromRow(row), title }) : undefined;
      }, session),
    getPhoto: (id, session) =>
      read(async (pool) => {
        const r = await pool.query('SELECT id, owner, title, created_at FROM photos WHERE id = $1', [id]);
        return r.rows[0] ? photoFromRow(r.rows[0]) : undefined;
      }, session),
    listPhotos: (owner, session) =>
      read(async (pool) => {
        const r = await pool.query(
          'SELECT id, owner, title, created_at FROM photos WHERE owner = $1 ORDER BY id',
          [owner],
        );
        return r.rows.map(photoFromRow);
      }, session),
    session: () => ({ lastWrite: 0 }),
    primary: () => primaryName,
    async positions() {
      const entries = await Promise.all(
        [...nodes.values()].map(async (n) => [n.name, await position(n.pool).catch(() => null)] as const),
      );
      return Object.fromEntries(entries);
    },
    sync,
    async recover(name) {
      const node = nodes.get(name);
      if (!node) throw new Error(`no node ${name}`);
      const divergedAt = promotedAt.get(name);
      const unreplicated =
        divergedAt === undefined ? [] : (await readLog(node.pool, divergedAt, 1_000_000)).map((c) => c.photo);
      if (divergedAt !== undefined) {
        // Its history past the promotion point conflicts with the new primary's: start it again from a copy.
        await node.pool.query('DELETE FROM replication_log');
        await node.pool.query('DELETE FROM photos');
        promotedAt.delete(name);
      }
      node.role = 'replica';
      node.applied = 0;
      node.readable = true;
      await pull(node);
      return { node: name, unreplicated };
    },
    async close() {
      clearInterval(timer);
      await Promise.all([...nodes.values()].map((n) => n.pulling));
    },
  };
}
