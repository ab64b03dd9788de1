/**
 * Asynchronous replication from one data center to another: every interval, read the source's changes that
 * the target has not applied yet, apply each to the target, and remember that it was applied — somewhere a
 * new replicator finds it, so that it resumes instead of starting over. A change applied twice (a crash
 * between applying and remembering) is harmless because applying is idempotent.
 *
 * Careful with "everything up to change N is applied": a change gets its number when it is written, but
 * becomes visible when its transaction commits, and two writers can commit out of order (README, task 3).
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
  // TODO (README, task 3): read the source's changes the target has not applied, apply them to the target,
  // remember what was applied; retry on the next tick when either side is down.
  throw new Error('TODO (README, task 3): startReplicator');
}
