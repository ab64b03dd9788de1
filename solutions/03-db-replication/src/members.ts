/**
 * The cluster's view of its nodes: each node's pool, its role, and how far it has applied the log as far
 * as the cluster knows. A node's role says what it may do:
 * - primary: takes the writes and keeps the log;
 * - replica: pulls from the primary and serves reads;
 * - unchecked: was out of reach during a failover; it follows again once its position shows that its log
 *   is a prefix of the new primary's (at or before the promotion position);
 * - fenced: its history forked from the new primary's (the old primary, or a replica that was ahead of
 *   the promoted one): no reads, no pulls, until recover() reports what only it had and copies it anew.
 */
import type { Pool } from 'pg';

export type Role = 'primary' | 'replica' | 'unchecked' | 'fenced';

export interface Member {
  name: string;
  pool: Pool;
  role: Role;
  /** The last sequence number this node has applied, as far as the cluster knows. */
  applied: number;
  /** False after a read failed on it, until it pulls again successfully. */
  readable: boolean;
  /** For an unchecked or fenced node: the promotion position, where its history and the primary's part. */
  forkAt?: number;
  /** Pulls on one replica run one after another. */
  pulls: Queue;
}

export interface Members {
  /** Every node, in the order the options named them. */
  all: Member[];
  get(name: string): Member | undefined;
  /** The node that takes writes now. */
  leader(): Member;
  /** The nodes that follow the leader (replicas, and unchecked ones that may turn out to be replicas). */
  followers(): Member[];
  /** The replicas that may serve reads now. */
  readable(): Member[];
}

export function createMembers(nodes: { name: string; pool: Pool; applied: number }[]): Members {
  const all: Member[] = nodes.map((node, i) => ({
    ...node,
    role: i === 0 ? 'primary' : 'replica',
    readable: true,
    pulls: queue(),
  }));
  return {
    all,
    get: (name) => all.find((m) => m.name === name),
    leader: () => all.find((m) => m.role === 'primary') as Member,
    followers: () => all.filter((m) => m.role === 'replica' || m.role === 'unchecked'),
    readable: () => all.filter((m) => m.role === 'replica' && m.readable),
  };
}

/** Work that runs one at a time, in call order: a promise chain. */
export interface Queue {
  /** Runs `work` once every earlier work on this queue has settled. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once the work queued so far has settled. */
  idle(): Promise<void>;
}

export function queue(): Queue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(work) {
      const result = tail.then(work, work);
      tail = result.catch(() => undefined);
      return result;
    },
    idle: () => tail.then(() => undefined),
  };
}
