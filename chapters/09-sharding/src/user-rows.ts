/** All the rows of one user on one shard: what resharding and isolating a celebrity move. README: task 3 (the types from task 2). */
import type { Pool } from 'pg';

export interface User {
  id: number;
  name: string;
}

export interface Photo {
  id: string;
  userId: number;
  /** Denormalised: a copy of the author's name, kept in step when the author is renamed. */
  authorName: string;
  title: string;
  likes: number;
}

export interface UserRows {
  user: User;
  photos: Photo[];
}

/** The user's rows on this shard, or undefined when the shard has no such user. */
export async function readUserRows(pool: Pool, userId: number): Promise<UserRows | undefined> {
  throw new Error('TODO (README, task 3): read the rows of one user');
}

/** Writes the rows to this shard; writing the same rows twice changes nothing (a copy can be retried). */
export async function writeUserRows(pool: Pool, rows: UserRows): Promise<void> {
  throw new Error('TODO (README, task 3): copy the rows of one user');
}

/** Removes the user's rows from this shard (after they were copied and reads were switched away). */
export async function deleteUserRows(pool: Pool, userId: number): Promise<void> {
  throw new Error('TODO (README, task 3): delete the rows of one user');
}

/** The ids of the users this shard holds. */
export async function userIds(pool: Pool): Promise<number[]> {
  throw new Error('TODO (README, task 3): list the users of a shard');
}
