/**
 * Failover and recovery. When the primary does not answer, the replica with the highest position takes
 * its place. Every node that was not there to be compared (the old primary, a replica out of reach)
 * remembers the promotion position: its entries beyond it are a history the new primary never received.
 */
import type { Pool } from 'pg';
import { type Photo, position, readLog } from './change-log.js';
import type { Member, Members } from './members.js';

/** True when the node answers at all. */
export function answers(pool: Pool): Promise<boolean> {
  return position(pool).then(
    () => true,
    () => false,
  );
}

/**
 * Promotes the follower with the highest position (never by row count: a rename adds no row). The other
 * reachable followers follow it; every other node now forks at the promotion position (members.ts).
 */
export async function promote(members: Members): Promise<Member> {
  const old = members.leader();
  const reached = await Promise.all(
    members.followers().map(async (m) => ({ m, at: await position(m.pool).catch(() => null) })),
  );
  // An unchecked follower is a candidate only while its log is still a prefix of the history.
  const candidates = reached.filter(
    (x): x is { m: Member; at: number } =>
      x.at !== null && (x.m.role === 'replica' || x.at <= (x.m.forkAt ?? 0)),
  );
  const best = candidates.sort((a, b) => b.at - a.at)[0];
  if (!best) throw new Error('the primary failed and no replica is left to promote');
  const forkAt = best.at;
  for (const m of members.all) {
    if (candidates.some((c) => c.m === m)) {
      m.role = 'replica';
      m.forkAt = undefined;
    } else {
      const unreached = reached.some((x) => x.m === m && x.at === null);
      m.role = m !== old && unreached && m.role !== 'fenced' ? 'unchecked' : 'fenced';
      m.forkAt = Math.min(m.forkAt ?? forkAt, forkAt);
    }
  }
  best.m.role = 'primary';
  best.m.applied = forkAt;
  return best.m;
}

/**
 * What only this node has: the photo of each of its entries after the fork, in log order. A node whose
 * history forked is emptied, to be copied again from the primary.
 */
export async function takeBack(node: Member): Promise<Photo[]> {
  const at = await position(node.pool);
  if (node.forkAt === undefined || at <= node.forkAt) return [];
  const unreplicated = (await readLog(node.pool, node.forkAt, Number.MAX_SAFE_INTEGER)).map((c) => c.photo);
  // Its entries past the fork carry the same sequence numbers as the new primary's, with other values.
  await node.pool.query('DELETE FROM replication_log');
  await node.pool.query('DELETE FROM photos');
  return unreplicated;
}
