/**
 * Asynchronous replication from one data center to another: every interval, read the source's change log
 * past the last applied position, apply each change to the target, then move the position on. The position
 * is kept in the target's database, so a restarted replicator resumes where the last one stopped; a change
 * applied twice (a crash between applying and moving on) is harmless because applying is idempotent.
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

export function startReplicator({ source, target, intervalMs }: ReplicatorOptions): Replicator {
  let position: number | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const readPosition = async () => {
    await migrate(target.db);
    const { rows } = await target.db.query('SELECT seq FROM replication_cursor WHERE source = $1', [
      source.id,
    ]);
    return (rows[0]?.seq as number | undefined) ?? 0;
  };

  const step = async () => {
    position ??= await readPosition();
    const { rows } = await source.db.query(
      `SELECT seq, kind, key, body, version, origin, created_at FROM changes
       WHERE seq > $1 AND origin = $2 ORDER BY seq LIMIT ${BATCH}`,
      [position, source.id],
    );
    if (rows.length === 0) return;
    for (const row of rows) await applyChange(target, toChange(row));
    const last = Number(rows[rows.length - 1].seq);
    await target.db.query(
      `INSERT INTO replication_cursor (source, seq) VALUES ($1, $2)
       ON CONFLICT (source) DO UPDATE SET seq = excluded.seq`,
      [source.id, last],
    );
    position = last;
  };

  const tick = () => {
    // A failed step (a data center unreachable) is retried from the same position on the next tick.
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
      const from = position ?? 0;
      const { rows } = await source.db.query(
        'SELECT count(*)::int AS pending, min(created_at) AS oldest FROM changes WHERE seq > $1 AND origin = $2',
        [from, source.id],
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
