/**
 * The photo service's data tier over N shards. Every row of a user lives on the shard the ring gives for
 * the user id (the sharding key); a query by user id goes to that one shard, a global query (top photos)
 * to all of them. Shards can be added while writes go on, and a celebrity can get a shard of its own.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createRing } from './ring.js';
import { assertShardNames, assertUserId, type Router } from './router.js';
import { ensureSchema } from './schema.js';
import {
  deleteUserRows,
  PHOTO_COLUMNS,
  type Photo,
  photoFromRow,
  readUserRows,
  type User,
  userIds,
  writeUserRows,
} from './user-rows.js';

export type { Photo, User } from './user-rows.js';

export interface ShardConfig {
  name: string;
  pool: Pool;
}

export interface ShardedStoreOptions {
  shards: ShardConfig[];
  /** Points per shard on the consistent-hashing ring (default 100). */
  virtualNodes?: number;
}

export interface ShardedStore {
  addUser(user: User): Promise<User>;
  getUser(id: number): Promise<User | undefined>;
  /** Renames the user, and the author name on every photo of theirs. */
  renameUser(id: number, name: string): Promise<User>;
  addPhoto(input: { userId: number; title: string }): Promise<Photo>;
  /** Adds `by` likes (default 1) to a photo. */
  like(photoId: string, by?: number): Promise<Photo>;
  /** The user's photos, from the one shard that holds them. */
  photosOf(userId: number): Promise<Photo[]>;
  /** The `n` most liked photos of the whole service (scatter-gather over every shard). */
  topPhotos(n: number): Promise<Photo[]>;
  /** Users whose share of the reads so far is at least `minShare` (0–1), the busiest first. */
  hotUsers(minShare: number): number[];
  /** Gives one user (a celebrity) a shard of its own, moving their rows there. */
  isolate(userId: number, shard: ShardConfig): Promise<void>;
  /** Adds a shard to the ring and moves the users it now owns, while reads and writes go on. */
  addShard(shard: ShardConfig): Promise<void>;
  close(): Promise<void>;
}

const PHOTO_ID = /^([1-9][0-9]{0,9})-[0-9a-f-]{36}$/;

export async function createShardedStore(options: ShardedStoreOptions): Promise<ShardedStore> {
  assertShardNames(options.shards.map((s) => s.name));
  const virtualNodes = options.virtualNodes ?? 100;
  const pools = new Map<string, Pool>();
  for (const shard of options.shards) {
    await ensureSchema(shard.pool);
    pools.set(shard.name, shard.pool);
  }
  let ring: Router = createRing(
    options.shards.map((s) => s.name),
    { virtualNodes },
  );
  /** Users with a shard of their own: they are outside the ring. */
  const dedicated = new Map<number, string>();
  /** While a shard is being added: the next ring and the users already moved to it. */
  let migration: { next: Router; moved: Set<number> } | undefined;
  /** Writes and moves of one user run one after another. */
  const locks = new Map<number, Promise<unknown>>();
  const inflight = new Set<Promise<unknown>>();
  /** Goes up each time a user's rows change shard: a read that raced a move reads again. */
  const versions = new Map<number, number>();
  const accesses = new Map<number, number>();
  let totalAccesses = 0;

  const poolOf = (name: string) => pools.get(name) as Pool;

  /** The shard that holds the user's rows now. */
  const owner = (userId: number): string => {
    const own = dedicated.get(userId);
    if (own) return own;
    const current = ring.shardFor(userId);
    if (!migration) return current;
    const next = migration.next.shardFor(userId);
    return next === current || migration.moved.has(userId) ? next : current;
  };

  const withUser = <T>(userId: number, work: () => Promise<T>): Promise<T> => {
    const result = (locks.get(userId) ?? Promise.resolve()).then(work, work);
    const tail = result.catch(() => undefined);
    locks.set(userId, tail);
    inflight.add(tail);
    void tail.then(() => {
      inflight.delete(tail);
      if (locks.get(userId) === tail) locks.delete(userId);
    });
    return result;
  };

  const readUser = async <T>(userId: number, read: (pool: Pool) => Promise<T>): Promise<T> => {
    for (;;) {
      const version = versions.get(userId) ?? 0;
      const result = await read(poolOf(owner(userId)));
      if ((versions.get(userId) ?? 0) === version) return result;
    }
  };

  /** Copy, then switch reads and writes, then delete the old rows. Runs under the user's lock. */
  const move = async (userId: number, from: string, to: string, switchOver: () => void) => {
    const rows = await readUserRows(poolOf(from), userId);
    if (rows) await writeUserRows(poolOf(to), rows);
    switchOver();
    versions.set(userId, (versions.get(userId) ?? 0) + 1);
    await deleteUserRows(poolOf(from), userId);
  };

  const assertNewShard = (shard: ShardConfig) => {
    if (!shard || typeof shard.name !== 'string' || shard.name.length === 0 || !shard.pool)
      throw new Error('a shard needs a name and a pool');
    if (pools.has(shard.name)) throw new Error(`shard "${shard.name}" is already in use`);
  };

  const assertName = (name: string) => {
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > 100)
      throw new Error('a user name is 1 to 100 characters');
  };

  return {
    addUser(user) {
      assertUserId(user.id);
      assertName(user.name);
      return withUser(user.id, async () => {
        let target = owner(user.id);
        // The migration may end while this awaits: hold on to the one seen here.
        const current = migration;
        if (current && !dedicated.has(user.id) && !current.moved.has(user.id)) {
          const next = current.next.shardFor(user.id);
          if (next !== target) {
            // A user that does not exist yet goes straight to the shard that will own it.
            if (await readUserRows(poolOf(target), user.id))
              throw new Error(`user ${user.id} exists already`);
            current.moved.add(user.id);
            target = next;
          }
        }
        try {
          await poolOf(target).query('INSERT INTO users (id, name) VALUES ($1, $2)', [user.id, user.name]);
        } catch (error) {
          if ((error as { code?: string }).code === '23505')
            throw new Error(`user ${user.id} exists already`);
          throw error;
        }
        return { id: user.id, name: user.name };
      });
    },

    async getUser(id) {
      assertUserId(id);
      const result = await readUser(id, (pool) =>
        pool.query('SELECT id, name FROM users WHERE id = $1', [id]),
      );
      const row = result.rows[0];
      return row ? { id: Number(row.id), name: String(row.name) } : undefined;
    },

    renameUser(id, name) {
      assertUserId(id);
      assertName(name);
      return withUser(id, async () => {
        const pool = poolOf(owner(id));
        const updated = await pool.query('UPDATE users SET name = $2 WHERE id = $1 RETURNING id', [id, name]);
        if (updated.rows.length === 0) throw new Error(`unknown user ${id}`);
        await pool.query('UPDATE photos SET author_name = $2 WHERE user_id = $1', [id, name]);
        return { id, name };
      });
    },

    addPhoto({ userId, title }) {
      assertUserId(userId);
      if (typeof title !== 'string' || title.length === 0 || title.length > 200)
        throw new Error('a photo title is 1 to 200 characters');
      return withUser(userId, async () => {
        const pool = poolOf(owner(userId));
        const author = await pool.query('SELECT name FROM users WHERE id = $1', [userId]);
        if (author.rows.length === 0) throw new Error(`unknown user ${userId}`);
        const photo: Photo = {
          id: `${userId}-${randomUUID()}`,
          userId,
          authorName: String(author.rows[0].name),
          title,
          likes: 0,
        };
        await pool.query(`INSERT INTO photos (${PHOTO_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
          photo.id,
          photo.userId,
          photo.authorName,
          photo.title,
          photo.likes,
        ]);
        return photo;
      });
    },

    like(photoId, by = 1) {
      const match = typeof photoId === 'string' ? PHOTO_ID.exec(photoId) : null;
      if (!match) throw new Error(`unknown photo ${String(photoId)}`);
      if (!Number.isInteger(by) || by < 1 || by > 1_000_000)
        throw new Error('likes come 1 to 1000000 at a time');
      const userId = Number(match[1]);
      assertUserId(userId);
      return withUser(userId, async () => {
        const result = await poolOf(owner(userId)).query(
          `UPDATE photos SET likes = likes + $2 WHERE id = $1 RETURNING ${PHOTO_COLUMNS}`,
          [photoId, by],
        );
        if (result.rows.length === 0) throw new Error(`unknown photo ${photoId}`);
        return photoFromRow(result.rows[0]);
      });
    },

    async photosOf(userId) {
      assertUserId(userId);
      accesses.set(userId, (accesses.get(userId) ?? 0) + 1);
      totalAccesses += 1;
      const result = await readUser(userId, (pool) =>
        pool.query(`SELECT ${PHOTO_COLUMNS} FROM photos WHERE user_id = $1 ORDER BY id`, [userId]),
      );
      return result.rows.map(photoFromRow);
    },

    async topPhotos(n) {
      if (!Number.isInteger(n) || n < 1 || n > 1000)
        throw new Error('top photos: n is an integer from 1 to 1000');
      // Scatter: every shard's own top n (any of them could hold the whole answer). Gather: merge, cut.
      const answers = await Promise.all(
        [...pools.values()].map((pool) =>
          pool.query(`SELECT ${PHOTO_COLUMNS} FROM photos ORDER BY likes DESC, id LIMIT $1`, [n]),
        ),
      );
      const byId = new Map<string, Photo>();
      for (const answer of answers)
        for (const row of answer.rows) byId.set(String(row.id), photoFromRow(row));
      return [...byId.values()]
        .sort((a, b) => b.likes - a.likes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, n);
    },

    hotUsers(minShare) {
      if (!(minShare > 0 && minShare <= 1))
        throw new Error('minShare is a share of the reads, above 0 and at most 1');
      return [...accesses.entries()]
        .filter(([, count]) => count / totalAccesses >= minShare)
        .sort((a, b) => b[1] - a[1])
        .map(([userId]) => userId);
    },

    async isolate(userId, shard) {
      assertUserId(userId);
      assertNewShard(shard);
      if (migration) throw new Error('a shard is being added: isolate the user when that is done');
      if (dedicated.has(userId)) throw new Error(`user ${userId} has a shard of its own already`);
      await ensureSchema(shard.pool);
      pools.set(shard.name, shard.pool);
      await withUser(userId, async () => {
        const from = owner(userId);
        if (!(await readUserRows(poolOf(from), userId))) throw new Error(`unknown user ${userId}`);
        await move(userId, from, shard.name, () => dedicated.set(userId, shard.name));
      });
    },

    async addShard(shard) {
      assertNewShard(shard);
      if (migration) throw new Error('a shard is being added already: one resharding at a time');
      await ensureSchema(shard.pool);
      pools.set(shard.name, shard.pool);
      const next = createRing([...ring.shards, shard.name], { virtualNodes });
      const moving = { next, moved: new Set<number>() };
      migration = moving;
      try {
        // Writes that began before the switch to migration mode finish first, so the scan sees them.
        await Promise.allSettled([...inflight]);
        for (const source of ring.shards) {
          for (const userId of await userIds(poolOf(source))) {
            if (dedicated.has(userId) || next.shardFor(userId) === source) continue;
            await withUser(userId, async () => {
              if (moving.moved.has(userId)) return;
              await move(userId, source, next.shardFor(userId), () => moving.moved.add(userId));
            });
          }
        }
        ring = next;
      } finally {
        migration = undefined;
      }
    },

    async close() {
      await Promise.allSettled([...inflight]);
    },
  };
}
