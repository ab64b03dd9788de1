/**
 * A primary and its replicas behind one interface. Each method says the task (README) it belongs to; the
 * tests of a task use only the methods of that task and the ones before it.
 */
import type { Pool } from 'pg';
import type { Photo } from './change-log.js';

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

export async function createCluster(options: ClusterOptions): Promise<Cluster> {
  // Task 1: create the schema on every node (schema.ts) and keep what the cluster knows of each node:
  // its pool, whether it is the primary or a replica, how far it has applied the log.
  // With options.pullIntervalMs, start a timer that lets the replicas pull (and stop it in close()).
  return {
    async addPhoto(input, session) {
      // Task 1: the row and its log entry on the primary. Task 2: record the position in the session.
      // Task 3: fail over when the primary does not answer; in semi-sync mode, wait for one replica.
      throw new Error(`TODO (README, task 1): addPhoto ${input.owner}/${input.title} on the primary`);
    },
    async renamePhoto(id, title, session) {
      // Task 1 like addPhoto; an id the primary does not have: undefined and no log entry.
      throw new Error(`TODO (README, task 1): renamePhoto ${id} to "${title}" on the primary`);
    },
    async getPhoto(id, session) {
      throw new Error(`TODO (README, task 2): getPhoto ${id} from a replica in turn`);
    },
    async listPhotos(owner, session) {
      throw new Error(`TODO (README, task 2): listPhotos of ${owner} from a replica in turn`);
    },
    session() {
      throw new Error('TODO (README, task 2): session() for read-your-writes');
    },
    primary() {
      throw new Error('TODO (README, task 3): primary(), the node that takes writes now');
    },
    async positions() {
      throw new Error('TODO (README, task 1): positions(), each node’s log position');
    },
    async sync() {
      throw new Error('TODO (README, task 1): sync(), every reachable replica pulls');
    },
    async recover(name) {
      throw new Error(`TODO (README, task 3): recover ${name} as a replica of the new primary`);
    },
    async close() {
      // Task 1: stop the pull timer, if you started one.
    },
  };
}
