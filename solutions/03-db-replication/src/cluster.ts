/**
 * A primary and its replicas behind one interface. Writes go to the primary, which records each change
 * in its log (writes.ts); replicas pull the log and apply it in order (shipping.ts). Reads go to the
 * replicas unless the client's own last write has not reached them (routing.ts). When the primary fails,
 * the most up-to-date replica takes its place, and a node whose history forked waits for recover()
 * (failover.ts). What the cluster knows of each node is in members.ts.
 */
import type { Pool } from 'pg';
import { type Photo, photoFromRow, position } from './change-log.js';
import { answers, promote, takeBack } from './failover.js';
import { createMembers, queue } from './members.js';
import { createReader } from './routing.js';
import { ensureSchema } from './schema.js';
import { pull, replicated, syncAll } from './shipping.js';
import { insertPhoto, retitlePhoto } from './writes.js';

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

type Written = { photo: Photo; seq: number } | undefined;

export async function createCluster(options: ClusterOptions): Promise<Cluster> {
  const configs = [options.primary, ...options.replicas];
  const members = createMembers(
    await Promise.all(
      configs.map(async (node) => {
        await ensureSchema(node.pool);
        return { ...node, applied: await position(node.pool) };
      }),
    ),
  );
  const writes = queue();
  const read = createReader(members);

  /** One write at a time on the primary; a dead primary is replaced and the write is not acknowledged. */
  const write = (change: (pool: Pool, seq: number) => Promise<Written>, session?: Session) =>
    writes.run(async () => {
      const target = members.leader();
      let written: Written;
      try {
        written = await change(target.pool, target.applied + 1);
      } catch (error) {
        if (await answers(target.pool)) throw error;
        await promote(members);
        throw new Error(`the primary ${target.name} failed; this write was not acknowledged (retry it)`, {
          cause: error,
        });
      }
      if (!written) return undefined;
      target.applied = written.seq;
      if (options.mode === 'semi-sync') await replicated(members, written.seq);
      if (session) session.lastWrite = Math.max(session.lastWrite, written.seq);
      return written.photo;
    });

  const sync = () => syncAll(members);
  const timer =
    options.pullIntervalMs === undefined ? undefined : setInterval(() => void sync(), options.pullIntervalMs);

  return {
    addPhoto(input, session) {
      return write((pool, seq) => insertPhoto(pool, seq, input), session) as Promise<Photo>;
    },
    renamePhoto(id, title, session) {
      return write((pool, seq) => retitlePhoto(pool, seq, id, title), session);
    },
    getPhoto(id, session) {
      return read(async (pool) => {
        const r = await pool.query('SELECT id, owner, title, created_at FROM photos WHERE id = $1', [id]);
        return r.rows[0] ? photoFromRow(r.rows[0]) : undefined;
      }, session?.lastWrite);
    },
    listPhotos(owner, session) {
      return read(async (pool) => {
        const r = await pool.query(
          'SELECT id, owner, title, created_at FROM photos WHERE owner = $1 ORDER BY id',
          [owner],
        );
        return r.rows.map(photoFromRow);
      }, session?.lastWrite);
    },
    session() {
      return { lastWrite: 0 };
    },
    primary() {
      return members.leader().name;
    },
    async positions() {
      const entries = await Promise.all(
        members.all.map(async (m) => [m.name, await position(m.pool).catch(() => null)] as const),
      );
      return Object.fromEntries(entries);
    },
    sync,
    async recover(name) {
      const node = members.get(name);
      if (!node) throw new Error(`recover: the cluster has no node named "${name}"`);
      if (node.role === 'primary') return { node: name, unreplicated: [] };
      const unreplicated = await takeBack(node);
      node.role = 'replica';
      node.forkAt = undefined;
      node.readable = true;
      await pull(members, node);
      return { node: name, unreplicated };
    },
    async close() {
      clearInterval(timer);
      await Promise.all([writes.idle(), ...members.all.map((m) => m.pulls.idle())]);
    },
  };
}
