/** Users: sign-up, lookup and rename, each on the shard that holds the user. */
import { assertUserId } from './router.js';
import type { ShardSet } from './shard-set.js';
import { readUserRows, type User } from './user-rows.js';

export function assertName(name: string): void {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 100)
    throw new Error('a user name is 1 to 100 characters');
}

export function addUser(set: ShardSet, user: User): Promise<User> {
  assertUserId(user.id);
  assertName(user.name);
  return set.locks.withUser(user.id, async () => {
    const pool = set.poolOf(await shardForNewUser(set, user.id));
    try {
      await pool.query('INSERT INTO users (id, name) VALUES ($1, $2)', [user.id, user.name]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new Error(`user ${user.id} exists already`);
      throw error;
    }
    return { id: user.id, name: user.name };
  });
}

/**
 * Where a sign-up goes. While a shard is being added, a user who does not exist yet and whom the next ring
 * gives to another shard goes straight there (and counts as moved), unless the id is taken on the old one.
 */
async function shardForNewUser(set: ShardSet, userId: number): Promise<string> {
  const owner = set.placement.owner(userId);
  // The migration may end while this awaits: hold on to the one seen here.
  const migration = set.placement.migration;
  if (!migration || set.placement.isDedicated(userId) || migration.moved.has(userId)) return owner;
  const next = migration.next.shardFor(userId);
  if (next === owner) return owner;
  if (await readUserRows(set.poolOf(owner), userId)) throw new Error(`user ${userId} exists already`);
  migration.moved.add(userId);
  return next;
}

export async function getUser(set: ShardSet, id: number): Promise<User | undefined> {
  assertUserId(id);
  const result = await set.moves.read(
    id,
    () => set.ownerPool(id),
    (pool) => pool.query('SELECT id, name FROM users WHERE id = $1', [id]),
  );
  const row = result.rows[0];
  return row ? { id: Number(row.id), name: String(row.name) } : undefined;
}

/** Renames the user and the denormalised copies of the name on their photos, on the user's shard. */
export function renameUser(set: ShardSet, id: number, name: string): Promise<User> {
  assertUserId(id);
  assertName(name);
  return set.locks.withUser(id, async () => {
    const pool = set.ownerPool(id);
    const updated = await pool.query('UPDATE users SET name = $2 WHERE id = $1 RETURNING id', [id, name]);
    if (updated.rows.length === 0) throw new Error(`unknown user ${id}`);
    await pool.query('UPDATE photos SET author_name = $2 WHERE user_id = $1', [id, name]);
    return { id, name };
  });
}
