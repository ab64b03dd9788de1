/** What every router answers: which shard holds a user's rows. And the checks every router makes. README: task 1. */

export interface Router {
  /** The shard names this router spreads users over. */
  readonly shards: readonly string[];
  /** The shard that holds every row of this user (the sharding key is the user id). */
  shardFor(userId: number): string;
}

/** User ids are integers from 1 to 2147483647 (what an `integer` column holds); anything else is an error. */
export function assertUserId(userId: number): void {
  throw new Error('TODO (README, task 1): check a user id');
}

/** At least one shard, each with a name of its own; anything else is an error. */
export function assertShardNames(names: readonly string[]): void {
  throw new Error('TODO (README, task 1): check the list of shard names');
}
