/** The change log: append on the primary, read and apply on a replica, a node's position. README: task 1. */
import type { Pool } from 'pg';

export interface Photo {
  id: number;
  owner: string;
  title: string;
  createdAt: Date;
}

/** One entry of the log: a sequence number and the values the primary wrote. */
export interface Change {
  seq: number;
  op: 'upsert';
  photo: Photo;
}

/** The highest sequence number a node has applied (0 for an empty log). */
export async function position(pool: Pool): Promise<number> {
  throw new Error('TODO (README, task 1): the position of a node in the change log');
}

/** The entries after `after`, in sequence order. */
export async function readLog(pool: Pool, after: number): Promise<Change[]> {
  throw new Error('TODO (README, task 1): read the change log');
}

/** Writes the row and its log entry in one transaction; applying the same entry twice changes nothing. */
export async function apply(pool: Pool, change: Change): Promise<void> {
  throw new Error('TODO (README, task 1): apply one change');
}
