/**
 * Three database nodes and the learner's cluster over them, plus ways to look at each node directly.
 * Every call into the cluster goes through a kit deadline (step), so a write queue that never drains or a
 * pull that never ends fails with the operation's name, not with a bare time-out.
 */

import { onTestFinished } from 'vitest';
import { createDatabase, type DatabaseNode, readsOf } from '#kit/db';
import { step, until, within } from '#kit/wait';
import { type Cluster, type ClusterOptions, createCluster, type Photo } from '../src/cluster.js';

export type Name = 'db1' | 'db2' | 'db3';
export type Nodes = Record<Name, DatabaseNode>;

/** What each operation waits on, when it never settles. */
const STUCK: Partial<Record<keyof Cluster, string>> = {
  addPhoto:
    'a write that never settles: is the write queue stuck behind an earlier write that failed, or a semi-sync wait that never gives up?',
  renamePhoto:
    'a write that never settles: is the write queue stuck behind an earlier write that failed, or a semi-sync wait that never gives up?',
  getPhoto: 'a read that never settles: does it wait on a node that does not answer?',
  listPhotos: 'a read that never settles: does it wait on a node that does not answer?',
  positions: 'positions() never settled: a node that does not answer is null, not a wait',
  sync: 'sync() never settled: a pull that waits forever on a stopped node, or on another pull?',
  recover: 'recover() never settled',
};

/** The cluster, with each promise it returns under a deadline that names the call. */
function underDeadlines(cluster: Cluster): Cluster {
  return new Proxy(cluster, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        const call = `cluster.${String(key)}(${args.map(describe).join(', ')})`;
        return step(`${call}: ${STUCK[key as keyof Cluster] ?? 'it never settled'}`, result);
      };
    },
  });
}

function describe(arg: unknown): string {
  return arg !== null && typeof arg === 'object' && 'lastWrite' in arg ? 'session' : JSON.stringify(arg);
}

/** What `promise` came to: its value, or `rejected: <message>` (a deadline that ran out says so). */
export function outcome<T>(promise: Promise<T>): Promise<T | `rejected: ${string}`> {
  return promise.catch((error) => `rejected: ${error?.message}` as const);
}

/** db1 starts as the primary; db2 and db3 as its replicas. */
export async function startCluster(mode: ClusterOptions['mode'], extra: Partial<ClusterOptions> = {}) {
  const [db1, db2, db3] = await Promise.all([createDatabase(), createDatabase(), createDatabase()]);
  const nodes: Nodes = { db1, db2, db3 };
  const cluster = await step(
    `createCluster({ mode: '${mode}' }) on three fresh nodes`,
    createCluster({
      primary: { name: 'db1', pool: db1.pool },
      replicas: [
        { name: 'db2', pool: db2.pool },
        { name: 'db3', pool: db3.pool },
      ],
      mode,
      ...extra,
    }),
  );
  onTestFinished(() => within(cluster.close(), 3000, 'cluster.close() did not finish'));
  return { cluster: underDeadlines(cluster), nodes };
}

export interface Row {
  id: number;
  owner: string;
  title: string;
  createdAt: string;
}

/** The photos table of one node, read straight from it, in id order. */
export async function photosOn(node: DatabaseNode): Promise<Row[]> {
  const result = await node.connect().query('SELECT id, owner, title, created_at FROM photos ORDER BY id');
  return result.rows.map((r) => ({
    id: r.id,
    owner: r.owner,
    title: r.title,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** A photo as the cluster returned it, in the form photosOn() gives. */
export function asRow(photo: Photo | undefined): Row | undefined {
  if (!photo) return undefined;
  const { id, owner, title, createdAt } = photo;
  return { id, owner, title, createdAt: new Date(createdAt).toISOString() };
}

/** How many reads of the photos table a node has received so far. */
export function photoReads(node: DatabaseNode): number {
  return readsOf(node, 'photos');
}

/** The reads each node received while `work` ran. */
export async function readsDuring(nodes: Nodes, work: () => Promise<unknown>): Promise<Record<Name, number>> {
  const before = { db1: photoReads(nodes.db1), db2: photoReads(nodes.db2), db3: photoReads(nodes.db3) };
  await work();
  return {
    db1: photoReads(nodes.db1) - before.db1,
    db2: photoReads(nodes.db2) - before.db2,
    db3: photoReads(nodes.db3) - before.db3,
  };
}

/** Waits (with a deadline) until every named node reports the same log position. */
export async function caughtUp(cluster: Cluster, names: string[]): Promise<Record<string, number | null>> {
  let positions: Record<string, number | null> = {};
  await until(
    async () => {
      positions = await cluster.positions();
      const values = names.map((n) => positions[n]);
      return values.every((v) => v !== null && v === values[0]);
    },
    3000,
    () =>
      `replicas did not catch up with the primary by themselves (pullIntervalMs is set); positions: ${JSON.stringify(positions)}`,
  );
  return positions;
}

/**
 * Async mode, the old primary lost writes: `replicated` writes reached every replica; then `unshipped`
 * writes (new photos, and renames of old and new ones) reached only db1, which stops. The next write
 * meets the dead primary; the one after it is the first on the promoted replica.
 */
export async function failoverLosingWrites(cluster: Cluster, nodes: Nodes) {
  const replicated: Photo[] = [];
  for (let i = 0; i < 3; i++)
    replicated.push(await cluster.addPhoto({ owner: 'ana', title: `replicated ${i}` }));
  await cluster.sync();
  const unshipped: Photo[] = [];
  for (let i = 0; i < 3; i++)
    unshipped.push(await cluster.addPhoto({ owner: 'ana', title: `unshipped ${i}` }));
  const [old, fresh] = [replicated[0] as Photo, unshipped[1] as Photo];
  unshipped.push((await cluster.renamePhoto(old.id, `${old.title}, renamed`)) as Photo);
  unshipped.push((await cluster.renamePhoto(fresh.id, `${fresh.title}, renamed`)) as Photo);
  await nodes.db1.stop();
  await cluster.addPhoto({ owner: 'ana', title: 'met the dead primary' }).catch(() => undefined);
  const first = await cluster.addPhoto({ owner: 'ana', title: 'first on the new primary' }).catch((error) => {
    throw new Error(
      `the write after the one that met the dead primary must succeed on a promoted replica: ${error?.message}`,
    );
  });
  return { replicated, unshipped, first };
}
