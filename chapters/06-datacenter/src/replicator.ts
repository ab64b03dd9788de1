/**
 * Asynchronous replication from one data center to another: every interval, read the source's change log
 * past the last applied position, apply each change to the target, then move the position on. The position
 * is kept in the target's database, so a restarted replicator resumes where the last one stopped; a change
 * applied twice (a crash between applying and moving on) is harmless because applying is idempotent.
 */
import type { Store } from './change-log.js';

export interface ReplicatorOptions {
  source: Store;
  target: Store;
  intervalMs: number;
}

export interface ReplicationStatus {
  /** Changes written at the source that the target has not applied yet. */
  pending: number;
  /** Age in ms of the oldest pending change (0 when caught up). */
  lagMs: number;
}

export interface Replicator {
  status(): Promise<ReplicationStatus>;
  stop(): Promise<void>;
}

/** Starts replicating `source`'s local writes to `target` every `intervalMs`, until `stop()`. */
export function startReplicator({ source, target, intervalMs }: ReplicatorOptions): Replicator {
  // TODO (README, task 3): read the source's changes after the last applied position, apply them to the
  // target, store the new position in the target; retry on the next tick when either side is down.
  throw new Error('TODO (README, task 3): startReplicator');
}
