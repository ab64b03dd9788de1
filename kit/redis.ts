/**
 * Redis stores for tests.
 *
 * Every call to `createRedis()` gives the test one independent store, seen through the ioredis API.
 *
 * - By default the store is an ioredis-mock instance. The mock shares data between instances with the same
 *   host:port, so each store gets a host name of its own; `connect()` on the same store shares its data.
 * - With `REDIS_URL` set, the store is a real Redis, isolated by a key prefix of its own; the keys under it
 *   are deleted when the test finishes. (Commands that list keys, such as KEYS or SCAN, see the whole server.)
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { onTestFinished } from 'vitest';

export interface RedisStore {
  /** 'ioredis-mock' (embedded stand-in) or 'redis' (a real server, from REDIS_URL). */
  readonly backend: 'ioredis-mock' | 'redis';
  /** A client on this store, opened with it. */
  readonly client: Redis;
  /** Opens another client on the same store: what another server process would get. */
  connect(): Redis;
  /** Makes the store unreachable, like a crashed cache server: every command of every client rejects. */
  stop(): void;
  /** Makes it reachable again, with the data it had. */
  start(): void;
  /** Makes the store hang, like an overloaded server: commands are accepted and never answered, until start(). */
  hang(): void;
  /** Cuts one client off for good, as if its process had died: its commands reject from now on. */
  sever(client: Redis): void;
  /**
   * Freezes one client, as if its process stood still (a long garbage-collection pause, a network partition
   * that heals): its commands wait, unsent, until `thaw(client)` sends them on, in the order they were made.
   */
  freeze(client: Redis): void;
  /** Lets a frozen client's waiting commands through, in order; the client works normally from then on. */
  thaw(client: Redis): void;
  /**
   * The Lua scripts (eval, evalsha, and commands made with defineCommand) the store's clients have run so
   * far: how many, and for how many milliseconds they held the test's own process. ioredis-mock runs every
   * script inside the test's process (2–10 ms each, measured); on a real Redis they run on the server, and
   * `ms` stays 0.
   */
  scripts(): { count: number; ms: number };
  /**
   * Keys on the Redis server whose name contains `text` but that lie outside this store's prefix: names a
   * script made up itself. Always empty on the embedded stand-in, which needs no prefix.
   */
  outside(text: string): Promise<string[]>;
  /** The store's keys (without the kit's prefix) and their time to live in seconds (-1: none). */
  keys(): Promise<{ key: string; ttl: number }[]>;
  /** Disconnects every client and deletes the store's keys. Runs by itself when the test ends. */
  destroy(): Promise<void>;
}

/** What a command on a stopped store rejects with. */
export class StoreStoppedError extends Error {
  readonly code = 'ECONNREFUSED';
  constructor() {
    super('connect ECONNREFUSED: the Redis store is stopped');
  }
}

/** True when the suites run against a real Redis server. */
export const realRedis = Boolean(process.env.REDIS_URL);

/** Creates one independent Redis store for the current test; it is destroyed when the test finishes. */
export function createRedis(): RedisStore {
  const id = `ztm-${process.pid}-${randomBytes(4).toString('hex')}`;
  const url = process.env.REDIS_URL;
  const prefix = url ? `${id}:` : '';
  const state = { stopped: false, hung: false };
  const severed = new WeakSet<object>();
  const frozen = new WeakMap<object, { gate: Promise<void>; open: () => void }>();
  const scripts = { count: 0, ms: 0, defined: new Set<string>() };
  const clients: Redis[] = [];
  const open = (): Redis =>
    url
      ? new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 1 })
      : (new RedisMock({ host: id, port: 6379 }) as unknown as Redis);
  // Every method call goes through the proxy, which refuses it while the store is stopped.
  const guarded = (client: Redis): Redis =>
    new Proxy(client, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        const refusal = (): Promise<never> | undefined => {
          if (state.stopped || severed.has(receiver as object))
            return Promise.reject(new StoreStoppedError());
          if (state.hung) return new Promise<never>(() => {}); // never settles
          return undefined;
        };
        // A frozen client's command waits for thaw(), then goes on as any other.
        const whenThawed = (send: () => unknown): unknown => {
          const ice = frozen.get(receiver as object);
          return ice ? ice.gate.then(send) : send();
        };
        return (...args: unknown[]) => {
          if (typeof key === 'string' && BUILDERS.has(key)) {
            // As ioredis does: MULTI and pipelines are built locally and reach the server at exec().
            const batch = value.apply(target, args) as { exec: (...a: unknown[]) => Promise<unknown> };
            const exec = batch.exec.bind(batch);
            batch.exec = (...a: unknown[]) => whenThawed(() => refusal() ?? exec(...a)) as Promise<unknown>;
            return batch;
          }
          if (key === 'defineCommand') return defineCommand(target, args);
          if (typeof key === 'string' && !LOCAL_METHODS.has(key)) {
            const send = () => {
              const refused = refusal();
              if (refused) return refused;
              if (!SCRIPT_COMMANDS.has(key) && !scripts.defined.has(key)) return value.apply(target, args);
              // ioredis-mock runs the script right here, inside the call: that is its cost to the process.
              const started = performance.now();
              try {
                return value.apply(target, args);
              } finally {
                scripts.count += 1;
                if (!url) scripts.ms += performance.now() - started;
              }
            };
            return whenThawed(send);
          }
          return value.apply(target, args);
        };
      },
    });
  /**
   * ioredis's defineCommand without `numberOfKeys` takes the key count as the first argument of each call;
   * ioredis-mock instead passes every argument as a key and as an argument. On the stand-in, such a command
   * is made with eval, which takes the key count first, so that the same code works on both.
   */
  const defineCommand = (target: Redis, args: unknown[]): unknown => {
    const [name, definition] = args as [string, { lua: string; numberOfKeys?: number }];
    scripts.defined.add(name);
    scripts.defined.add(`${name}Buffer`);
    if (url || definition?.numberOfKeys !== undefined)
      return (target.defineCommand as (...a: unknown[]) => unknown)(...args);
    const commands = target as unknown as Record<string, (...a: unknown[]) => unknown>;
    const { eval: run, evalBuffer: runBuffer } = commands;
    commands[name] = (...a: unknown[]) => run?.call(target, definition.lua, ...a);
    commands[`${name}Buffer`] = (...a: unknown[]) => runBuffer?.call(target, definition.lua, ...a);
    return undefined;
  };
  const connect = (): Redis => {
    const client = open();
    // A client must not crash the test process when a test makes the connection fail on purpose.
    client.on('error', () => {});
    clients.push(client);
    if (!url) allowOneListenerPerClient(client, clients.length);
    return guarded(client);
  };
  /** A client outside the store's prefix, for listing and deleting its keys. */
  const raw = (): Redis => (url ? new Redis(url, { maxRetriesPerRequest: 1 }) : open());
  const store: RedisStore = {
    backend: url ? 'redis' : 'ioredis-mock',
    client: connect(),
    connect,
    stop() {
      state.stopped = true;
    },
    start() {
      state.stopped = false;
      state.hung = false;
    },
    hang() {
      state.hung = true;
    },
    sever(client) {
      severed.add(client);
    },
    freeze(client) {
      if (frozen.has(client)) return;
      let open = () => {};
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      frozen.set(client, { gate, open });
    },
    thaw(client) {
      frozen.get(client)?.open();
      frozen.delete(client);
    },
    scripts: () => ({ count: scripts.count, ms: scripts.ms }),
    async outside(text) {
      if (!url) return [];
      const client = raw();
      try {
        return (await client.keys(`*${text}*`)).filter((name) => !name.startsWith(prefix));
      } finally {
        client.disconnect();
      }
    },
    async keys() {
      const client = raw();
      try {
        const names = await client.keys(`${prefix}*`);
        return Promise.all(
          names.map(async (name) => ({ key: name.slice(prefix.length), ttl: await client.ttl(name) })),
        );
      } finally {
        client.disconnect();
      }
    },
    async destroy() {
      for (const client of clients.splice(0)) client.disconnect();
      const client = raw();
      try {
        const names = await client.keys(`${prefix}*`);
        if (names.length > 0) await client.del(...names);
      } finally {
        client.disconnect();
      }
    },
  };
  onTestFinished(() => store.destroy(), 30_000);
  return store;
}

/**
 * ioredis-mock tells the clients of one store about changed keys (for WATCH) through an event emitter that
 * they share: each client adds a listener to it and removes it when it disconnects. A store here has a
 * client per server a test starts (ten web servers and the test's own make eleven), which is no leak, but
 * more than Node's default of 10 listeners it warns about. The store's emitter is allowed one listener per
 * client the kit opened, plus the default for anything else, so that a real leak still warns.
 */
function allowOneListenerPerClient(client: Redis, clients: number): void {
  const shared = (client as unknown as { context?: { modifiedKeyEvents?: EventEmitter } }).context
    ?.modifiedKeyEvents;
  shared?.setMaxListeners(clients + EventEmitter.defaultMaxListeners);
}

/** Client methods that run a Lua script. */
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'evalBuffer', 'evalshaBuffer', 'eval_ro', 'evalsha_ro']);

/** Client methods that build a batch locally; the batch reaches the server at its exec(). */
const BUILDERS = new Set(['multi', 'pipeline']);

/** Client methods that do not talk to the server (event handling, connection control). */
const LOCAL_METHODS = new Set([
  'on',
  'once',
  'off',
  'removeListener',
  'addListener',
  'emit',
  'disconnect',
  'quit',
  'duplicate',
]);
