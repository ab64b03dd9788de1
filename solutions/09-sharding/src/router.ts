/** What every router answers: which shard holds a user's rows. And the checks every router makes. */

export interface Router {
  /** The shard names this router spreads users over. */
  readonly shards: readonly string[];
  /** The shard that holds every row of this user (the sharding key is the user id). */
  shardFor(userId: number): string;
}

/** User ids are positive integers, like a `serial` column gives. */
export function assertUserId(userId: number): void {
  if (!Number.isSafeInteger(userId) || userId < 1 || userId > 2_147_483_647) {
    throw new Error(`bad user id ${String(userId)}: a user id is an integer from 1 to 2147483647`);
  }
}

/** At least one shard, each with a name of its own. */
export function assertShardNames(names: readonly string[]): void {
  if (names.length === 0) throw new Error('no shards: a router needs at least one shard');
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0) throw new Error('every shard needs a name');
    if (seen.has(name)) throw new Error(`shard "${name}" is listed twice: shard names must be unique`);
    seen.add(name);
  }
}
