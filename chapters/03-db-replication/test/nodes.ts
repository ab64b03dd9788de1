/** Three database nodes and the learner's cluster over them, plus ways to look at each node directly. */

import { onTestFinished } from 'vitest';
import { createDatabase, type DatabaseNode, readsOf } from '#kit/db';
import { within } from '#kit/wait';
import { type Cluster, type ClusterOptions, createCluster } from '../src/cluster.js';

export type Nodes = Record<'db1' | 'db2' | 'db3', DatabaseNode>;

/** db1 starts as the primary; db2 and db3 as its replicas. */
export async function startCluster(mode: ClusterOptions['mode'], extra: Partial<ClusterOptions> = {}) {
  const [db1, db2, db3] = await Promise.all([createDatabase(), createDatabase(), createDatabase()]);
  const nodes: Nodes = { db1, db2, db3 };
  const cluster = await createCluster({
    primary: { name: 'db1', pool: db1.pool },
    replicas: [
      { name: 'db2', pool: db2.pool },
      { name: 'db3', pool: db3.pool },
    ],
    mode,
    ...extra,
  });
  onTestFinished(() => cluster.close());
  return { cluster, nodes };
}

/** The photos table of one node, read straight from it, in id order. */
export async function photosOn(
  node: DatabaseNode,
): Promise<{ id: number; owner: string; title: string; createdAt: string }[]> {
  const result = await node.connect().query('SELECT id, owner, title, created_at FROM photos ORDER BY id');
  return result.rows.map((r) => ({
    id: r.id,
    owner: r.owner,
    title: r.title,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** How many reads of the photos table a node has received so far. */
export function photoReads(node: DatabaseNode): number {
  return readsOf(node, 'photos');
}

/** Waits (with a deadline) until every node reports the same log position. */
export async function caughtUp(cluster: Cluster, names: string[]): Promise<Record<string, number | null>> {
  let waiting = true;
  const check = async () => {
    while (waiting) {
      const positions = await cluster.positions();
      const values = names.map((n) => positions[n]);
      if (values.every((v) => v !== null && v === values[0])) return positions;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return {};
  };
  try {
    return await within(
      check(),
      3000,
      'replicas did not catch up with the primary by themselves (pullIntervalMs is set)',
    );
  } finally {
    waiting = false; // stop polling once the deadline has passed
  }
}
