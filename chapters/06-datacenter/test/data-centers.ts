/**
 * The data centers of task 3: each runs your web server on its own database and Redis. And the faults the
 * data-sync tests need: a link between data centers that fails, a writer whose COMMIT is slow.
 * (Kept apart from world.ts, so that the other tasks' tests do not load the web server and the stores.)
 */
import type pg from 'pg';
import { createDatabase, type DatabaseNode } from '#kit/db';
import { createRedis, type RedisStore } from '#kit/redis';
import { createWebServer } from '../src/web-server.js';
import { type Site, startDataCenterWith } from './world.js';

export interface DataCenter extends Site {
  db: DatabaseNode;
  redis: RedisStore;
  /** What a replicator is given for this data center. */
  store: { id: string; db: DatabaseNode['pool']; redis: RedisStore['client'] };
  /**
   * Holds the COMMIT of every transaction the first web server opens from now on, until `release()`: a
   * writer whose commit is slow (a busy disk), so that a later writer on the second server commits first.
   */
  holdCommits(): CommitHold;
}

/** A data center running your web server (task 3): its own database and Redis, two web servers. */
export async function startDataCenter(dc: { id: string; address: string }): Promise<DataCenter> {
  const db = await createDatabase();
  const redis = createRedis();
  const first = commitGate(db.connect());
  const site = await startDataCenterWith(dc, 2, (_server, index) =>
    createWebServer({
      id: dc.id,
      db: index === 1 ? first.pool : db.connect(),
      redis: redis.connect(),
      version: '1.0.0',
    }),
  );
  return {
    ...site,
    db,
    redis,
    store: { id: dc.id, db: db.pool, redis: redis.client },
    holdCommits: first.hold,
  };
}

// ---------------------------------------------------------------- faults between and inside data centers

export interface CommitHold {
  /** Resolves when a COMMIT arrived and is being held. */
  held: Promise<void>;
  /** Lets held commits (and later ones) through. */
  release(): void;
}

const sqlOf = (args: unknown[]) => {
  const first = args[0] as string | { text?: string } | undefined;
  return typeof first === 'string' ? first : (first?.text ?? '');
};

/** A pool whose COMMIT statements can be held back, on the pool and on the clients it hands out. */
function commitGate(pool: pg.Pool) {
  let gate: { open: Promise<void>; arrived: () => void } | undefined;
  const query =
    (target: { query: (...a: unknown[]) => unknown }) =>
    (...args: unknown[]) => {
      if (!gate || !/^\s*(commit|end)\b/i.test(sqlOf(args))) return target.query(...args);
      gate.arrived();
      return gate.open.then(() => target.query(...args));
    };
  const client = (c: pg.PoolClient) =>
    new Proxy(c, {
      get: (t, key) => (key === 'query' ? query(t as never) : Reflect.get(t, key, t)),
    });
  const wrapped = new Proxy(pool, {
    get(target, key) {
      if (key === 'query') return query(target as never);
      if (key === 'connect')
        return (...args: unknown[]) =>
          args.length > 0
            ? (target.connect as (...a: unknown[]) => unknown)(...args)
            : target.connect().then(client);
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    pool: wrapped,
    hold(): CommitHold {
      let release = () => {};
      let arrived = () => {};
      const open = new Promise<void>((r) => (release = r));
      const held = new Promise<void>((r) => (arrived = r));
      gate = { open, arrived };
      return {
        held,
        release() {
          gate = undefined;
          release();
        },
      };
    },
  };
}

/**
 * The link from the other data centers to `dc`, as a replicator sees it: a store on its own connections
 * that `cut()` makes unreachable for good (the network between the data centers fails), while `dc` itself
 * keeps serving its own clients.
 */
export function linkTo(dc: DataCenter) {
  let cut = false;
  const refuse = () =>
    Promise.reject(
      Object.assign(new Error(`connect ECONNREFUSED: the link to data center ${dc.id} is cut`), {
        code: 'ECONNREFUSED',
      }),
    );
  const pool = dc.db.connect();
  const guard = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key) {
        const value = Reflect.get(t, key, t) as (...a: unknown[]) => Promise<object>;
        if (key === 'connect')
          return (...args: unknown[]) =>
            args.length > 0 ? value.apply(t, args) : cut ? refuse() : value.apply(t, args).then(guard);
        if (key === 'query') return (...args: unknown[]) => (cut ? refuse() : value.apply(t, args));
        return typeof value === 'function' ? value.bind(t) : value;
      },
    });
  const redis = dc.redis.connect();
  return {
    store: { id: dc.id, db: guard(pool), redis },
    cut() {
      cut = true;
      dc.redis.sever(redis);
    },
  };
}
