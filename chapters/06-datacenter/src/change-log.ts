/**
 * Each data center's own data, and the log of its local writes that replication ships to the other data
 * centers. Conflict rule: last writer wins by version — every write of a user raises its version by one;
 * of two writes with the same version (made at once in two data centers), the one from the data center whose
 * id sorts last wins. Applying a change is idempotent and never logs it again, so nothing echoes back.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';

export interface Store {
  /** The data center's id: the tie-breaker of the conflict rule. */
  id: string;
  db: pg.Pool;
  redis: Redis;
}

export interface Change {
  seq: number;
  kind: 'user' | 'session';
  key: string;
  /** user: `{ name }`; session: `{ userId, expiresAt }`, or null for a logout. */
  body: string | null;
  version: number;
  origin: string;
  createdAt: number;
}

export interface User {
  id: string;
  name: string;
}

/** Creates this module's tables in a data center's database, once (it is called by every server). */
export async function migrate(db: pg.Pool): Promise<void> {
  // TODO (README, task 3): users (with a version and the data center that wrote it) and a log of changes.
  throw new Error('TODO (README, task 3): migrate');
}

export async function getUser(db: pg.Pool, id: string): Promise<User | undefined> {
  throw new Error('TODO (README, task 3): getUser');
}

/**
 * A local write of a user (create or rename): raise its version, and log the change for replication — the
 * row and its change in one transaction, so that neither is ever made without the other.
 */
export async function writeUser(store: Store, id: string, name: string): Promise<User> {
  throw new Error('TODO (README, task 3): writeUser');
}

/** A local login (`session`) or logout (null): write it to Redis, and log the change for replication. */
export async function writeSession(
  store: Store,
  sessionId: string,
  session: { userId: string; expiresAt: number } | null,
): Promise<void> {
  throw new Error('TODO (README, task 3): writeSession');
}

export async function readSession(redis: Redis, sessionId: string): Promise<{ userId: string } | undefined> {
  throw new Error('TODO (README, task 3): readSession');
}

/**
 * Applies one change that came from another data center: idempotent, by the conflict rule, and without
 * logging it again (or it would echo back and forth).
 */
export async function applyChange(target: Store, change: Change): Promise<void> {
  throw new Error('TODO (README, task 3): applyChange');
}
