/**
 * Read routing: the replicas in turn; a replica that fails is skipped (and left out until it pulls again);
 * with none left, the primary. With a session, only replicas that have applied its last write qualify.
 */
import type { Pool } from 'pg';
import type { Member, Members } from './members.js';

export type Read = <T>(query: (pool: Pool) => Promise<T>, need?: number) => Promise<T>;

export function createReader(members: Members): Read {
  let turn = 0;
  return async (query, need = 0) => {
    const eligible = members.readable().filter((r) => r.applied >= need);
    for (let i = 0; i < eligible.length; i++) {
      const replica = eligible[(turn + i) % eligible.length] as Member;
      try {
        const result = await query(replica.pool);
        turn = (turn + i + 1) % Number.MAX_SAFE_INTEGER;
        return result;
      } catch {
        replica.readable = false;
      }
    }
    return query(members.leader().pool);
  };
}
