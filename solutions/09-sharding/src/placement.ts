/**
 * Where each user's rows live now. The exceptions first (users with a shard of their own, outside the
 * ring: a small directory), then, while a shard is being added, the next ring for the users already moved
 * (and for those whose owner does not change), then the ring.
 */
import type { Router } from './router.js';

/** A shard being added: the ring that will hold once every user it takes over has moved. */
export interface Migration {
  next: Router;
  moved: Set<number>;
}

export interface Placement {
  readonly ring: Router;
  /** The resharding in progress, if any. */
  readonly migration: Migration | undefined;
  /** The shard that holds the user's rows now. */
  owner(userId: number): string;
  isDedicated(userId: number): boolean;
  /** From now on the user lives on a shard of their own, whatever the ring says. */
  dedicate(userId: number, shard: string): void;
  /** Starts routing by the next ring for every user marked as moved. */
  begin(next: Router): Migration;
  /** Every user has moved: the next ring is the ring. */
  finish(migration: Migration): void;
}

export function createPlacement(ring: Router): Placement {
  let current = ring;
  let migration: Migration | undefined;
  const dedicated = new Map<number, string>();
  return {
    get ring() {
      return current;
    },
    get migration() {
      return migration;
    },
    owner(userId) {
      const own = dedicated.get(userId);
      if (own) return own;
      const now = current.shardFor(userId);
      if (!migration) return now;
      const next = migration.next.shardFor(userId);
      return next === now || migration.moved.has(userId) ? next : now;
    },
    isDedicated: (userId) => dedicated.has(userId),
    dedicate(userId, shard) {
      dedicated.set(userId, shard);
    },
    begin(next) {
      migration = { next, moved: new Set() };
      return migration;
    },
    finish(done) {
      if (migration !== done) return;
      current = done.next;
      migration = undefined;
    },
  };
}
