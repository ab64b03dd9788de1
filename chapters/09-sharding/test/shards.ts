/**
 * Shard nodes and the learner's store over them, what the store was told (a model of every acknowledged
 * write), and ways to look into each shard directly.
 */

import { expect, onTestFinished } from 'vitest';
import { createDatabase, type DatabaseNode, readsOf, type Statement } from '#kit/db';
import { pause } from '#kit/wait';
import { createRing } from '../src/ring.js';
import { createShardedStore, type ShardedStore } from '../src/sharded-store.js';

export type Nodes = Record<string, DatabaseNode>;

/** The words the README says each error contains. */
export const ERRORS = {
  userId: /user ?id/i,
  unknownUser: /unknown user/i,
  unknownPhoto: /unknown photo/i,
  exists: /exists|already/i,
  shardInUse: /twice|in use/i,
};

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

/**
 * The owner of each user by the README's rule: your ring over these shard names, 100 virtual nodes (built
 * on first use, inside a test).
 */
export function ringOver(...names: string[]): (userId: number) => string {
  let ring: ReturnType<typeof createRing> | undefined;
  return (userId) => {
    ring ??= createRing(names, { virtualNodes: 100 });
    return ring.shardFor(userId);
  };
}

/** What the store acknowledged for one user: their name and their photos' like counts. */
export interface UserModel {
  name: string;
  photos: Map<string, number>;
}
export type Model = Map<number, UserModel>;

/** Signs up the users (named user-N) with `photosEach` photos each, twenty at a time. */
export async function seedUsers(store: ShardedStore, ids: number[], photosEach: number): Promise<Model> {
  const model: Model = new Map();
  for (let start = 0; start < ids.length; start += 20) {
    await Promise.all(
      ids.slice(start, start + 20).map(async (id) => {
        await store.addUser({ id, name: `user-${id}` });
        const mine: UserModel = { name: `user-${id}`, photos: new Map() };
        for (let p = 0; p < photosEach; p++)
          mine.photos.set((await store.addPhoto({ userId: id, title: `p${p}` })).id, 0);
        model.set(id, mine);
      }),
    );
  }
  return model;
}

export const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

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

/**
 * Every shard's rows against the model: each acknowledged user and photo exactly once, with its last
 * acknowledged name and likes, on the shard `home` gives for its user; and nothing the store never
 * acknowledged.
 */
export async function audit(nodes: Nodes, model: Model, home: (userId: number) => string) {
  const where = await locate(nodes);
  const lost: string[] = [];
  const duplicated: string[] = [];
  const wrong: string[] = [];
  const misplaced: string[] = [];
  for (const [id, user] of model) {
    const shards = where.users.get(id) ?? [];
    if (shards.length === 0) lost.push(`user ${id}`);
    if (shards.length > 1) duplicated.push(`user ${id} on ${shards.join(' and ')}`);
    if (shards.length > 0 && shards[0] !== home(id))
      misplaced.push(`user ${id} on ${shards}, not ${home(id)}`);
    if (shards.length > 0 && where.names.get(id) !== user.name)
      wrong.push(`user ${id} is named ${where.names.get(id)}, not ${user.name}`);
    for (const [photoId, likes] of user.photos) {
      const found = where.photos.get(photoId);
      if (!found) {
        lost.push(`photo ${photoId} of user ${id}`);
        continue;
      }
      if (found.shards.length > 1) duplicated.push(`photo ${photoId} on ${found.shards.join(' and ')}`);
      if (found.shards[0] !== home(id))
        misplaced.push(`photo ${photoId} on ${found.shards}, not ${home(id)}`);
      if (found.row.likes !== likes)
        wrong.push(`photo ${photoId} has ${found.row.likes} likes, not ${likes}`);
      if (found.row.authorName !== user.name)
        wrong.push(`photo ${photoId} says author ${found.row.authorName}, not ${user.name}`);
    }
  }
  const known = new Set([...model.values()].flatMap((u) => [...u.photos.keys()]));
  const extra = [...where.photos.keys()].filter((id) => !known.has(id));
  return { lost, duplicated, wrong, misplaced, extra, where };
}

/** The audit's findings as expectations, each naming the rule it checks. */
export function expectAudit(found: Awaited<ReturnType<typeof audit>>, when: string): void {
  expect(
    found.lost,
    `${when}: acknowledged rows are missing. Usually a write landed on the old shard after its user's rows were copied, and the delete took it: copy, switch and delete each user under one lock with their writes (or copy what changed before the switch)`,
  ).toEqual([]);
  expect(
    found.duplicated,
    `${when}: one id on two shards. A photo id must be unique across shards (a serial counts from 1 on each), and after a move the old copy must be deleted`,
  ).toEqual([]);
  expect(found.wrong, `${when}: every row holds its last acknowledged value`).toEqual([]);
  expect(
    found.misplaced,
    `${when}: every user's rows live on the shard your ring gives them (or their own shard, for a celebrity)`,
  ).toEqual([]);
  expect(found.extra, `${when}: photos the store never acknowledged`).toEqual([]);
}

/** Reads every user of the model through the store; describes each answer that differs from the model. */
export async function misreads(
  store: ShardedStore,
  model: Model,
  ids = [...model.keys()],
): Promise<string[]> {
  const wrong: string[] = [];
  for (const id of ids) {
    const mine = model.get(id) as UserModel;
    const want = [...mine.photos].map(([photo, likes]) => `${photo}:${likes}:${mine.name}`).sort();
    const got = (await store.photosOf(id)).map((p) => `${p.id}:${p.likes}:${p.authorName}`).sort();
    if (JSON.stringify(got) !== JSON.stringify(want))
      wrong.push(
        `photosOf(${id}) gave ${got.length} photos ${JSON.stringify(got).slice(0, 160)}, expected ${want.length}`,
      );
  }
  return wrong;
}

/** The users whose name or photo ids appear in these statements (text or parameters): whose rows they copy. */
export function usersIn(statements: readonly Statement[], model: Model): number[] {
  const found = new Set<number>();
  for (const { text, values } of statements) {
    const words = [text, ...values.map((v) => String(v))];
    for (const [id, user] of model) {
      const tokens = [user.name, ...user.photos.keys()];
      const quoted = (t: string) => words.some((w) => w === t || w.includes(`'${t}'`));
      if (tokens.some(quoted)) found.add(id);
    }
  }
  return [...found];
}

/** The store's reads of photos (`SELECT … photos …`), but not the test's own reads, which start with a mark. */
export const STORE_PHOTO_READS = /^(?!\/\* kata test \*\/)\s*select\b[\s\S]*\bphotos\b/i;

/** How many photo rows of the user a shard holds, read by the test (no hold catches this read). */
export async function photoRowsOf(node: DatabaseNode, userId: number): Promise<number> {
  const result = await node.pool.query(
    '/* kata test */ SELECT count(*)::int AS n FROM photos WHERE user_id = $1',
    [userId],
  );
  return Number(result.rows[0]?.n ?? 0);
}

/** How many of the README's tables (users, photos) a node has, asked by the test. */
export async function tablesOn(node: DatabaseNode): Promise<number> {
  const result = await node.pool.query(
    `/* kata test */ SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('users', 'photos')`,
  );
  return result.rows.length;
}

/** Statements that write rows: what copying a user's rows to another shard sends. */
export const WRITES = /^\s*(insert|update|copy|with|merge)\b/i;

/** Resolves when any of these nodes is sent a statement that writes rows. Arm it before the writes. */
export function firstWrite(nodes: DatabaseNode[]): Promise<Statement> {
  return Promise.race(nodes.map((node) => node.nextStatement(WRITES)));
}

/**
 * Writes for a user whose rows are half copied either wait or land, and this resolves when it knows which:
 * a store that fences the moving user sends them nowhere (after a short quiet window, go on); one that does
 * not sends them to the old shard at once (`wrote`): then wait until they are done (up to a few seconds, in
 * case only some of them wait), so that they land before the test lets the copy go on.
 */
export async function landOrWait(wrote: Promise<unknown>, writes: Promise<unknown>[]): Promise<void> {
  let landing = false;
  void wrote.then(() => {
    landing = true;
  });
  const done = () => Promise.race([Promise.allSettled(writes), pause(3000)]);
  await Promise.race([wrote.then(done), pause(300).then(() => (landing ? done() : undefined))]);
}

/** Reads of the photos table each node has received so far: the load on each shard. */
export function photoReads(nodes: Nodes): Record<string, number> {
  return Object.fromEntries(Object.entries(nodes).map(([name, node]) => [name, readsOf(node, 'photos')]));
}

/** Statements that name the table anywhere (FROM, JOIN, a subquery) each node has received so far. */
export function statementsNaming(nodes: Nodes, table: string): Record<string, number> {
  const named = new RegExp(`\\b${table}\\b`, 'i');
  return Object.fromEntries(
    Object.entries(nodes).map(([name, node]) => [
      name,
      node.statements.filter((sql) => named.test(sql)).length,
    ]),
  );
}

/** Statements of any kind each node has received so far. */
export function statementCounts(nodes: Nodes): Record<string, number> {
  return Object.fromEntries(Object.entries(nodes).map(([name, node]) => [name, node.statements.length]));
}

export function difference(after: Record<string, number>, before: Record<string, number>) {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

/** The shards, other than `home`, that received anything. */
export function others(delta: Record<string, number>, home: string): string[] {
  return Object.entries(delta)
    .filter(([name, n]) => name !== home && n > 0)
    .map(([name, n]) => `${name} (${n})`);
}
