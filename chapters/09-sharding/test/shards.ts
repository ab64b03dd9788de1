/** Shard nodes and the learner's store over them, plus ways to look into each shard directly. */

import { onTestFinished } from 'vitest';
import { createDatabase, type DatabaseNode, readsOf } from '#kit/db';
import { createShardedStore, type ShardedStore } from '../src/sharded-store.js';

export type Nodes = Record<string, DatabaseNode>;

/** `count` shard nodes named db1, db2, … and a store over them. */
export async function startStore(count: number, virtualNodes?: number) {
  const nodes: Nodes = {};
  const list = await Promise.all(Array.from({ length: count }, () => createDatabase()));
  list.forEach((node, i) => {
    nodes[`db${i + 1}`] = node;
  });
  const store = await createShardedStore({
    shards: Object.entries(nodes).map(([name, node]) => ({ name, pool: node.pool })),
    ...(virtualNodes ? { virtualNodes } : {}),
  });
  onTestFinished(() => store.close());
  return { store, nodes };
}

/** Another node, ready to be handed to the store as a new shard. */
export async function extraNode(nodes: Nodes, name: string): Promise<DatabaseNode> {
  const node = await createDatabase();
  nodes[name] = node;
  return node;
}

export interface ShardRows {
  users: { id: number; name: string }[];
  photos: { id: string; userId: number; authorName: string; title: string; likes: number }[];
}

/** Every row of one shard, read straight from its database (not through the store). */
export async function rowsOn(node: DatabaseNode): Promise<ShardRows> {
  const pool = node.connect();
  const users = await pool.query('SELECT id, name FROM users ORDER BY id');
  const photos = await pool.query('SELECT id, user_id, author_name, title, likes FROM photos ORDER BY id');
  await pool.end();
  return {
    users: users.rows.map((r) => ({ id: Number(r.id), name: String(r.name) })),
    photos: photos.rows.map((r) => ({
      id: String(r.id),
      userId: Number(r.user_id),
      authorName: String(r.author_name),
      title: String(r.title),
      likes: Number(r.likes),
    })),
  };
}

/** Where every user row and photo row is: id → the shards holding it (more than one is a duplicate). */
export async function locate(nodes: Nodes) {
  const users = new Map<number, string[]>();
  const photos = new Map<string, { shards: string[]; row: ShardRows['photos'][number] }>();
  const names = new Map<number, string>();
  for (const [name, node] of Object.entries(nodes)) {
    const rows = await rowsOn(node);
    for (const u of rows.users) {
      users.set(u.id, [...(users.get(u.id) ?? []), name]);
      names.set(u.id, u.name);
    }
    for (const p of rows.photos) {
      const seen = photos.get(p.id);
      photos.set(p.id, { shards: [...(seen?.shards ?? []), name], row: p });
    }
  }
  return { users, photos, names };
}

/** Reads of the photos table each node has received so far: the load on each shard. */
export function photoReads(nodes: Nodes): Record<string, number> {
  return Object.fromEntries(Object.entries(nodes).map(([name, node]) => [name, readsOf(node, 'photos')]));
}

export function difference(after: Record<string, number>, before: Record<string, number>) {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

/** Creates users 1..count (named user-N) with `photosEach` photos each, a few at a time. */
export async function seedUsers(store: ShardedStore, count: number, photosEach: number) {
  const photos = new Map<number, string[]>();
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  for (let start = 0; start < ids.length; start += 20) {
    await Promise.all(
      ids.slice(start, start + 20).map(async (id) => {
        await store.addUser({ id, name: `user-${id}` });
        const mine: string[] = [];
        for (let p = 0; p < photosEach; p++)
          mine.push((await store.addPhoto({ userId: id, title: `p${p}` })).id);
        photos.set(id, mine);
      }),
    );
  }
  return photos;
}
