/**
 * Log shipping: a replica pulls the entries after its own position from the primary and applies them in
 * order. Pulls on one replica run one after another, so pulling twice at once changes nothing.
 */
import { apply, position, readLog } from './change-log.js';
import type { Member, Members } from './members.js';

/** Entries read from the primary per round trip. */
const BATCH = 500;

/** Lets one follower catch up with the primary; an unchecked one is checked first (see members.ts). */
export function pull(members: Members, replica: Member): Promise<void> {
  return replica.pulls.run(async () => {
    let from = await position(replica.pool);
    if (replica.role === 'unchecked') {
      if (from > (replica.forkAt ?? 0)) {
        replica.role = 'fenced'; // it has entries the new primary never received
        return;
      }
      replica.role = 'replica';
      replica.forkAt = undefined;
    }
    if (replica.role !== 'replica') return;
    const source = members.leader();
    for (;;) {
      const changes = await readLog(source.pool, from, BATCH);
      for (const change of changes) {
        await apply(replica.pool, change);
        from = change.seq;
        replica.applied = from;
      }
      if (changes.length < BATCH) break;
    }
    replica.applied = from;
    replica.readable = true;
  });
}

/** Every follower pulls; one that does not answer is skipped. */
export async function syncAll(members: Members): Promise<void> {
  await Promise.all(members.followers().map((r) => pull(members, r).catch(() => undefined)));
}

/** Semi-synchronous acknowledgement: resolves once one replica has applied `seq`, rejects when none can. */
export async function replicated(members: Members, seq: number): Promise<void> {
  const attempts = members.followers().map(async (r) => {
    await pull(members, r);
    if (r.role !== 'replica' || r.applied < seq) throw new Error(`${r.name} is behind`);
  });
  await Promise.any(attempts).catch(() => {
    throw new Error(`no replica applied write ${seq}: not acknowledged (semi-synchronous mode)`);
  });
}
