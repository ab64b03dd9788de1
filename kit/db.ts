/**
 * Database nodes for tests.
 *
 * Every call to `createDatabase()` gives the test one independent database node: nothing written to one
 * node is visible on another, so a chapter can build a primary and its replicas, or a set of shards.
 *
 * - By default a node is an embedded pg-mem database (nothing to install).
 * - With `DATABASE_URL` set, a node is a fresh database created on that PostgreSQL server and dropped when
 *   the test finishes.
 *
 * Either way the test receives `pg.Pool`s: the learner's code uses the ordinary `pg` API.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { newDb } from 'pg-mem';
import { onTestFinished } from 'vitest';

export type Pool = pg.Pool;

export interface DatabaseNode {
  /** 'pg-mem' (embedded stand-in) or 'postgres' (a real server, from DATABASE_URL). */
  readonly backend: 'pg-mem' | 'postgres';
  /** A pool on this node, opened with the node. */
  readonly pool: Pool;
  /** Opens another pool on the same node: what a second process, or a restarted server, would get. */
  connect(): Pool;
  /**
   * Stops the node, as a crashed database server: open connections are cut, queries and new connections
   * fail, until `start()`. The data stays.
   */
  stop(): Promise<void>;
  /** Starts a stopped node again: pools connect anew. */
  start(): Promise<void>;
  /** Closes every pool opened on this node and deletes the node. Runs by itself when the test ends. */
  destroy(): Promise<void>;
}

/** What a query on a stopped node rejects with (the same code a refused TCP connection has). */
export class NodeStoppedError extends Error {
  readonly code = 'ECONNREFUSED';
  constructor() {
    super('connect ECONNREFUSED: the database node is stopped');
  }
}

/** True when the suites run against a real PostgreSQL server. */
export const realPostgres = Boolean(process.env.DATABASE_URL);

let counter = 0;

/** Creates one independent database node for the current test; it is destroyed when the test finishes. */
export async function createDatabase(): Promise<DatabaseNode> {
  const node = realPostgres ? await createPostgresNode(process.env.DATABASE_URL as string) : createMemNode();
  onTestFinished(() => node.destroy());
  return node;
}

function createMemNode(): DatabaseNode {
  const db = newDb();
  const adapter = db.adapters.createPg();
  const state = { stopped: false };
  const guard = <T>(run: () => Promise<T>): Promise<T> =>
    state.stopped ? Promise.reject(new NodeStoppedError()) : run();
  // pg-mem has no server to stop, so every pool and client checks the node's state before each query.
  class MemPool extends (adapter.Pool as unknown as typeof pg.Pool) {
    override query(...args: unknown[]): never {
      return guard(() => (super.query as (...a: unknown[]) => Promise<unknown>)(...args)) as never;
    }
    override connect(...args: unknown[]): never {
      if (args.length > 0) throw new Error('kit: use the promise form of pool.connect()');
      return guard(async () => {
        const client = await super.connect();
        const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
        (client as { query: unknown }).query = (...a: unknown[]) => guard(() => query(...a));
        return client;
      }) as never;
    }
  }
  const pools: Pool[] = [];
  const connect = (): Pool => {
    const pool = new MemPool();
    pools.push(pool);
    return pool;
  };
  return {
    backend: 'pg-mem',
    pool: connect(),
    connect,
    async stop() {
      state.stopped = true;
    },
    async start() {
      state.stopped = false;
    },
    async destroy() {
      state.stopped = true;
      await endAll(pools);
    },
  };
}

async function createPostgresNode(adminUrl: string): Promise<DatabaseNode> {
  counter += 1;
  const name = `ztm_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pools: Pool[] = [];
  const connect = (): Pool => {
    const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
    // A dropped connection must not crash the test process: the query in flight rejects, and that is
    // what the code under test must handle (idle clients report to the pool, checked-out ones to themselves).
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    pools.push(pool);
    return pool;
  };
  let destroyed = false;
  return {
    backend: 'postgres',
    pool: connect(),
    connect,
    async stop() {
      // Refuse new connections, then cut the open ones: what clients see when a server dies.
      await admin(adminUrl, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin(
        adminUrl,
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`,
      );
    },
    async start() {
      await admin(adminUrl, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await endAll(pools);
      await admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function endAll(pools: Pool[]): Promise<void> {
  const open = pools.splice(0);
  await Promise.all(open.map((pool) => (pool.ended ? undefined : pool.end())));
}

/** Runs one statement on the server's admin database (CREATE/DROP DATABASE cannot run in a pool's transaction). */
async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
