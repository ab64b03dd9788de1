/**
 * Database nodes for tests.
 *
 * Every call to `createDatabase()` gives the test one independent database node: nothing written to one
 * node is visible on another, so a chapter can build a primary and its replicas, or a set of shards.
 *
 * - By default a node is an embedded pg-mem database (nothing to install).
 * - With `DATABASE_URL` set, a node is a database of its own on that PostgreSQL server, empty as a new one,
 *   given back when the test finishes (kit/pg-server.ts keeps such databases for the next nodes).
 *
 * Either way the test receives `pg.Pool`s: the learner's code uses the ordinary `pg` API.
 */
import pg from 'pg';
import { newDb } from 'pg-mem';
import { onTestFinished } from 'vitest';
import { admin, claimDatabase, endSessionsSql } from './pg-server.js';

export type Pool = pg.Pool;

export interface DatabaseNode {
  /** 'pg-mem' (embedded stand-in) or 'postgres' (a real server, from DATABASE_URL). */
  readonly backend: 'pg-mem' | 'postgres';
  /** A pool on this node, opened with the node. */
  readonly pool: Pool;
  /** Opens another pool on the same node: what a second process, or a restarted server, would get. */
  connect(): Pool;
  /** Every statement sent to this node through its pools, in order: the node's query log. */
  readonly statements: readonly string[];
  /**
   * Holds back every statement that matches `pattern` (sent through any pool of this node) until
   * `release()`: a stalled disk or link at a moment the test chooses, e.g. "the copy to the new shard has
   * begun". Statements that do not match go on. Released by itself when the node is destroyed.
   */
  hold(pattern: RegExp): Hold;
  /** Resolves with the next statement sent to this node that matches `pattern`: an event, not a poll. */
  nextStatement(pattern: RegExp): Promise<Statement>;
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

/** One statement as a node received it: its text and its parameters. */
export interface Statement {
  text: string;
  values: readonly unknown[];
}

/** Statements held back by `DatabaseNode.hold()`. */
export interface Hold {
  /** Resolves with the first statement held. */
  readonly reached: Promise<Statement>;
  /** Every statement held so far, in order (also those already released). */
  readonly held: readonly Statement[];
  /** Lets the held statements run, in order, and stops holding. Calling it again does nothing. */
  release(): void;
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

/** How long the kit's own clean-up after a test may take (closing pools on a busy server). */
const TEARDOWN_MS = 60_000;

/** Creates one independent database node for the current test; it is destroyed when the test finishes. */
export async function createDatabase(): Promise<DatabaseNode> {
  const node = realPostgres ? await createPostgresNode(process.env.DATABASE_URL as string) : createMemNode();
  // Cleaning up never fails the test for its time.
  onTestFinished(() => node.destroy(), TEARDOWN_MS);
  return node;
}

type Query = (...args: unknown[]) => Promise<unknown>;

interface NodeState {
  /** Set by stop() on pg-mem, which has no server to stop: every query checks it first. */
  stopped: boolean;
  statements: string[];
  holds: HoldState[];
  watchers: { pattern: RegExp; resolve: (statement: Statement) => void }[];
}

interface HoldState {
  pattern: RegExp;
  held: Statement[];
  gate: Promise<void>;
  open: () => void;
  reached: (statement: Statement) => void;
}

function newState(): NodeState {
  return { stopped: false, statements: [], holds: [], watchers: [] };
}

/** A pattern without the `g` or `y` flag, whose `test()` keeps no position between calls. */
function stateless(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}

function statementOf(args: unknown[]): Statement {
  const first = args[0] as string | { text?: string; values?: unknown[] };
  if (typeof first === 'string') return { text: first, values: Array.isArray(args[1]) ? args[1] : [] };
  return { text: first?.text ?? '', values: first?.values ?? (Array.isArray(args[1]) ? args[1] : []) };
}

/** The hold and nextStatement() of a node, over its state. */
function holdsOf(state: NodeState): Pick<DatabaseNode, 'hold' | 'nextStatement'> {
  return {
    hold(pattern) {
      let open = () => {};
      let reached: (statement: Statement) => void = () => {};
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const first = new Promise<Statement>((resolve) => {
        reached = resolve;
      });
      const hold: HoldState = { pattern: stateless(pattern), held: [], gate, open, reached };
      state.holds.push(hold);
      return {
        reached: first,
        held: hold.held,
        release() {
          state.holds = state.holds.filter((h) => h !== hold);
          hold.open();
        },
      };
    },
    nextStatement(pattern) {
      return new Promise((resolve) => {
        state.watchers.push({ pattern: stateless(pattern), resolve });
      });
    },
  };
}

/** Lets every held statement of the node go on (the node is being destroyed). */
function releaseAll(state: NodeState): void {
  for (const hold of state.holds.splice(0)) hold.open();
}

/**
 * A pool class whose pools and clients record each statement on the node and refuse queries while the
 * node is stopped; pg-mem's "not supported" errors get a line that says where they come from.
 * (pg's own `pool.query` checks a client out with a callback; that internal path is passed through.)
 */
function instrumented(Base: typeof pg.Pool, state: NodeState): typeof pg.Pool {
  const send = (query: Query, args: unknown[]): Promise<unknown> => {
    if (state.stopped) return Promise.reject(new NodeStoppedError());
    return query(...args).catch((error: Error) => {
      if (error?.message?.includes('Not supported')) {
        error.message = `${PG_MEM_NOTE}\n${error.message}`;
      }
      throw error;
    });
  };
  const run = (query: Query, args: unknown[]): Promise<unknown> => {
    if (state.stopped) return Promise.reject(new NodeStoppedError());
    const statement = statementOf(args);
    state.statements.push(statement.text);
    const seen = state.watchers.filter((w) => w.pattern.test(statement.text));
    state.watchers = state.watchers.filter((w) => !seen.includes(w));
    for (const watcher of seen) watcher.resolve(statement);
    const hold = state.holds.find((h) => h.pattern.test(statement.text));
    if (!hold) return send(query, args);
    hold.held.push(statement);
    hold.reached(statement);
    return hold.gate.then(() => send(query, args));
  };
  const baseQuery = Base.prototype.query as Query;
  return class extends Base {
    override query(...args: unknown[]): never {
      return run(baseQuery.bind(this), args) as never;
    }
    override connect(...args: unknown[]): never {
      if (args.length > 0) return (super.connect as (...a: unknown[]) => unknown)(...args) as never;
      if (state.stopped) return Promise.reject(new NodeStoppedError()) as never;
      return super.connect().then((client) => {
        // pg-mem hands out the pool itself as the client: call the base query, not the recorded one.
        const own = ((client as unknown) === this ? baseQuery : client.query).bind(client) as Query;
        return new Proxy(client, {
          get: (target, key) =>
            key === 'query' ? (...a: unknown[]) => run(own, a) : Reflect.get(target, key, target),
        });
      }) as never;
    }
  } as unknown as typeof pg.Pool;
}

const PG_MEM_NOTE =
  '[kit] The embedded stand-in (pg-mem) cannot run this statement, though PostgreSQL may accept it. ' +
  'Write it another way (see "Traps of the embedded stand-ins" in README.md) or run on a real ' +
  'PostgreSQL with DATABASE_URL.';

function createMemNode(): DatabaseNode {
  const db = newDb();
  const state = newState();
  const MemPool = instrumented(db.adapters.createPg().Pool as unknown as typeof pg.Pool, state);
  const pools: Pool[] = [];
  let destroyed = false;
  const connect = (): Pool => {
    const pool = new MemPool();
    pools.push(pool);
    return pool;
  };
  return {
    backend: 'pg-mem',
    pool: connect(),
    connect,
    statements: state.statements,
    ...holdsOf(state),
    async stop() {
      if (destroyed) throw new Error('[kit] stop() on a database node that was destroyed');
      state.stopped = true;
    },
    async start() {
      if (destroyed) throw new Error('[kit] start() on a database node that was destroyed');
      state.stopped = false;
    },
    async destroy() {
      destroyed = true;
      state.stopped = true;
      releaseAll(state);
      await endAll(pools);
    },
  };
}

async function createPostgresNode(adminUrl: string): Promise<DatabaseNode> {
  const database = await claimDatabase(adminUrl);
  const { name } = database;
  const state = newState();
  const RealPool = instrumented(pg.Pool, state);
  const pools: Pool[] = [];
  const connect = (): Pool => {
    const pool = new RealPool({ connectionString: database.url, max: 10 });
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
    statements: state.statements,
    ...holdsOf(state),
    async stop() {
      // Its database may be another test's by now: a destroyed node is not stopped nor started.
      if (destroyed) throw new Error('[kit] stop() on a database node that was destroyed');
      // Refuse new connections, then cut the open ones: what clients see when a server dies.
      await admin(adminUrl, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin(adminUrl, endSessionsSql(name));
    },
    async start() {
      if (destroyed) throw new Error('[kit] start() on a database node that was destroyed');
      await admin(adminUrl, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      state.stopped = true;
      releaseAll(state);
      await endAll(pools);
      // Pools that are ended cannot connect again: the database can go back to the pool of databases.
      await database.release();
    },
  };
}

async function endAll(pools: Pool[]): Promise<void> {
  const open = pools.splice(0);
  await Promise.all(open.map((pool) => (pool.ended ? undefined : pool.end())));
}

/** How many reads (SELECT … FROM table) a node has received so far, from its statement log. */
export function readsOf(node: DatabaseNode, table: string): number {
  const from = new RegExp(`\\bfrom\\s+(?:"?public"?\\.)?"?${table}"?(?![\\w"])`, 'i');
  return node.statements.filter((sql) => /^\s*select\b/i.test(sql) && from.test(sql)).length;
}
