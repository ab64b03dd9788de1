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
  /** Disconnects every client and deletes the store's keys. Runs by itself when the test ends. */
  destroy(): Promise<void>;
}

/** True when the suites run against a real Redis server. */
export const realRedis = Boolean(process.env.REDIS_URL);

/** Creates one independent Redis store for the current test; it is destroyed when the test finishes. */
export function createRedis(): RedisStore {
  const id = `ztm-${process.pid}-${randomBytes(4).toString('hex')}`;
  const store = realRedis ? realStore(process.env.REDIS_URL as string, id) : mockStore(id);
  onTestFinished(() => store.destroy());
  return store;
}

function mockStore(id: string): RedisStore {
  const clients: Redis[] = [];
  const connect = (): Redis => {
    const client = new RedisMock({ host: id, port: 6379 }) as unknown as Redis;
    clients.push(client);
    return client;
  };
  return {
    backend: 'ioredis-mock',
    client: connect(),
    connect,
    async destroy() {
      for (const client of clients.splice(0)) {
        await client.flushall();
        client.disconnect();
      }
    },
  };
}

function realStore(url: string, id: string): RedisStore {
  const keyPrefix = `${id}:`;
  const clients: Redis[] = [];
  const connect = (): Redis => {
    const client = new Redis(url, { keyPrefix, maxRetriesPerRequest: 1 });
    // A client must not crash the test process when a test makes the connection fail on purpose.
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  return {
    backend: 'redis',
    client: connect(),
    connect,
    async destroy() {
      for (const client of clients.splice(0)) client.disconnect();
      const cleaner = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await cleaner.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
          if (keys.length > 0) await cleaner.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        cleaner.disconnect();
      }
    },
  };
}
