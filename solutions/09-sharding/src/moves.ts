/**
 * Moving one user's rows from one shard to another — copy, then switch, then delete — and reading a user
 * while that may happen. A read that started before a switch may come back from the old shard after the
 * delete: every move raises the user's version, and a read that saw the version change reads again.
 */
import type { Pool } from 'pg';
import { deleteUserRows, readUserRows, writeUserRows } from './user-rows.js';

export interface Moves {
  /**
   * Copy, then `switchOver()`, then delete. Run it under the user's lock. When `from` holds no rows of the
   * user, nothing happens and it answers false.
   */
  move(userId: number, from: Pool, to: Pool, switchOver: () => void): Promise<boolean>;
  /** Reads from the pool that holds the user now (`owner()` is asked on every try). */
  read<T>(userId: number, owner: () => Pool, read: (pool: Pool) => Promise<T>): Promise<T>;
}

export function createMoves(): Moves {
  const versions = new Map<number, number>();
  const version = (userId: number) => versions.get(userId) ?? 0;
  return {
    async move(userId, from, to, switchOver) {
      const rows = await readUserRows(from, userId);
      if (!rows) return false;
      await writeUserRows(to, rows);
      switchOver();
      versions.set(userId, version(userId) + 1);
      await deleteUserRows(from, userId);
      return true;
    },
    async read(userId, owner, read) {
      for (;;) {
        const before = version(userId);
        const result = await read(owner());
        if (version(userId) === before) return result;
      }
    },
  };
}
