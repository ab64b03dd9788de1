/**
 * Asynchronous replication from one data center to another: every interval, read the source's changes that
 * the target has not applied yet, apply them, and only then mark them as shipped to that target.
 *
 * Why marks and not a position ("everything up to change 41 is shipped"): a change's number is handed out
 * when it is written, but it becomes visible when its transaction commits. Two writers can commit out of
 * order: change 42 visible, 41 not yet. A replicator that moved its position to 42 would never look at 41
 * again. Marking each change shipped leaves 41 unmarked until it is applied, however late it commits.
 *
 * The marks live in the source's database, so a new replicator resumes where the last one stopped; a change
 * applied twice (a crash between applying and marking) is harmless because applying is idempotent. A real
 * log would also be trimmed: changes shipped to every other data center can be deleted, with their marks.
 */
import { applyChange, type Change, migrate, type Store } from './change-log.js';

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

const BATCH = 500;

const UNSHIPPED = `FROM changes c LEFT JOIN shipped s ON s.seq = c.seq AND s.target = $1
  WHERE c.origin = $2 AND s.seq IS NULL`;

export function startReplicator({ source, target, intervalMs }: ReplicatorOptions): Replicator {
  let migrated = false;
  let running: Promise<void> | undefined;
  let stopped = false;

  const step = async () => {
    if (!migrated) {
      await Promise.all([migrate(source.db), migrate(target.db)]);
      migrated = true;
    }
    const { rows } = await source.db.query(
      `SELECT c.seq, c.kind, c.key, c.body, c.version, c.origin, c.created_at ${UNSHIPPED}
       ORDER BY c.seq LIMIT ${BATCH}`,
      [target.id, source.id],
    );
    if (rows.length === 0) return;
    const changes = rows.map(toChange);
    for (const change of changes) await applyChange(target, change);
    await markShipped(source, target.id, changes);
  };

  const tick = () => {
    // A failed step (a data center unreachable) is retried on the next tick: unmarked changes stay pending.
    running ??= step()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  tick();

  return {
    async status() {
      const { rows } = await source.db.query(
        `SELECT count(*)::int AS pending, min(c.created_at) AS oldest ${UNSHIPPED}`,
        [target.id, source.id],
      );
      const pending = Number(rows[0]?.pending ?? 0);
      const oldest = rows[0]?.oldest as number | null;
      return { pending, lagMs: pending > 0 && oldest !== null ? Date.now() - Number(oldest) : 0 };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

async function markShipped(source: Store, targetId: string, changes: Change[]): Promise<void> {
  const values = changes.map((_, i) => `($1, $${i + 2})`).join(', ');
  await source.db.query(`INSERT INTO shipped (target, seq) VALUES ${values} ON CONFLICT DO NOTHING`, [
    targetId,
    ...changes.map((c) => c.seq),
  ]);
}

function toChange(row: Record<string, unknown>): Change {
  return {
    seq: Number(row.seq),
    kind: row.kind as Change['kind'],
    key: String(row.key),
    body: (row.body as string | null) ?? null,
    version: Number(row.version),
    origin: String(row.origin),
    createdAt: Number(row.created_at),
  };
}
