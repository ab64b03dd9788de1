/**
 * Keeping the fleet at size. README: task 3. Every tick: replace the web servers that stopped answering
 * and the workers that died, and let a database node that was down and answers again rejoin its shard.
 */
import type { Cluster } from '../../03-db-replication/src/cluster.js';
import type { DataCenter } from './data-center.js';
import type { WorkerHandle } from './workers.js';

export interface HealEvent {
  /** When, in ms since the epoch. */
  at: number;
  what: string;
}

export interface Fleet {
  dataCenters: DataCenter[];
  workers: WorkerHandle[];
  startWorker(): WorkerHandle;
  shards: Map<string, Cluster>;
  /** Database nodes seen down, by shard: they rejoin when they answer again. */
  nodesDown: Map<string, Set<string>>;
  events: HealEvent[];
}

/** Task 3: one round of healing; the system runs it every `healIntervalMs`. */
export async function healFleet(fleet: Fleet): Promise<void> {
  throw new Error(
    `TODO (README, task 3): heal ${fleet.dataCenters.length} data centers, ${fleet.workers.length} workers and ${fleet.shards.size} shards`,
  );
}
