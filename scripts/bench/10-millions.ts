/**
 * Chapter 10 benchmark (not a test): what one machine of each tier holds here — a web server (others' photo
 * lists through balancer, web server and cache), the cache (reads per second), a shard (acknowledged
 * uploads per second: primary plus a semi-synchronous replica) and a worker (image jobs per second: chapter
 * 07's sharp pipeline, resizing a 640×480 picture) — and from those figures, with your planFleet, the fleet for 1 M and 10 M
 * daily users. On pg-mem and ioredis-mock unless DATABASE_URL / REDIS_URL are set. The plan is saved in
 * .kata/reports/10-millions/fleet.json, where the next chapter 10 report picks it up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import pg from 'pg';
import { newDb } from 'pg-mem';
import sharp from 'sharp';
import type {
  parseOperations as Parse,
  processImage as Process,
} from '../../chapters/07-message-queue/src/images.js';
import type { Measured, planFleet as Plan, Workload } from '../../chapters/10-millions/src/capacity.js';
import type { SystemConfig } from '../../chapters/10-millions/src/config.js';
import type { startSystem as Start } from '../../chapters/10-millions/src/system.js';
import { root } from '../lib/paths.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const PREFIX = `bench10-${process.pid}:`;

/** Three database nodes: pg-mem, or fresh databases on the PostgreSQL server of DATABASE_URL. */
async function databaseNodes(): Promise<{ pools: pg.Pool[]; drop(): Promise<void> }> {
  if (!DATABASE_URL) {
    const pools = [0, 1, 2].map(() => new (newDb().adapters.createPg().Pool as typeof pg.Pool)());
    return { pools, drop: async () => Promise.all(pools.map((p) => p.end())).then(() => undefined) };
  }
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  const names = [0, 1, 2].map((i) => `bench10_${process.pid}_${i}`);
  for (const name of names) await admin.query(`CREATE DATABASE ${name}`);
  const pools = names.map((name) => {
    const url = new URL(DATABASE_URL);
    url.pathname = `/${name}`;
    return new pg.Pool({ connectionString: url.toString() });
  });
  return {
    pools,
    async drop() {
      await Promise.all(pools.map((p) => p.end()));
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    },
  };
}

function redisClient(): Redis {
  return REDIS_URL ? new Redis(REDIS_URL, { keyPrefix: PREFIX }) : (new RedisMock() as unknown as Redis);
}

async function cleanRedis(): Promise<void> {
  if (!REDIS_URL) return;
  const raw = new Redis(REDIS_URL);
  const keys = await raw.keys(`${PREFIX}*`);
  if (keys.length) await raw.del(...keys);
  raw.disconnect();
}

export async function bench(target: 'chapters' | 'solutions', seconds: number): Promise<void> {
  const { startSystem } = (await import(`../../${target}/10-millions/src/system.js`)) as {
    startSystem: typeof Start;
  };
  const { planFleet } = (await import(`../../${target}/10-millions/src/capacity.js`)) as {
    planFleet: typeof Plan;
  };
  const images = (await import(`../../${target}/07-message-queue/src/images.js`)) as {
    processImage: typeof Process;
    parseOperations: typeof Parse;
  };
  const picture = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#4a7' } })
    .png()
    .toBuffer();
  const operations = images.parseOperations('resize:160x120');
  const nodes = await databaseNodes();
  const clients: Redis[] = [];
  const open = () => {
    const client = redisClient();
    clients.push(client);
    return client;
  };
  const config: SystemConfig = {
    zone: 'photos.test',
    dataCenters: [{ id: 'bench', address: '192.0.2.1', subnets: ['198.51.100.0/24'], webServers: 1 }],
    shards: [{ name: 's1', nodes: nodes.pools.map((pool, i) => ({ name: `s1-${'abc'[i]}`, pool })) }],
    redis: { sessions: open, cache: open, queue: open },
    workers: 1,
    work: async () => {
      await images.processImage(picture, operations);
    },
    limits: {
      sessionTtlSeconds: 600,
      cacheTtlSeconds: 60,
      pullIntervalMs: 1000,
      healthIntervalMs: 1000,
      dnsTtlSeconds: 1,
      visibilityTimeoutMs: 30_000,
      healIntervalMs: 1000,
    },
  };
  const system = await startSystem(config);
  try {
    const url = system.describe().dataCenters[0]?.url ?? '';
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 1 }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const measured: Measured = {
      shardWritesPerSecond: await rate(`${url}/photos`, seconds, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'bench' }),
      }),
      webServerRps: await rate(`${url}/users/1/photos`, seconds, { headers: { cookie: '' } }),
      cacheOpsPerSecond: await cacheRate(open(), seconds),
      workerJobsPerSecond: await workerRate(() => images.processImage(picture, operations), seconds),
    };
    console.log(
      `\nmeasured here (one machine of each tier; ${DATABASE_URL ? 'PostgreSQL' : 'pg-mem'}, ${REDIS_URL ? 'Redis' : 'ioredis-mock, an in-process map: its cache figure is no server’s'}):`,
    );
    for (const [name, value] of Object.entries(measured))
      console.log(`  ${name.padEnd(22)} ${value.toFixed(1)}`);
    const plans = Object.fromEntries(
      [1_000_000, 10_000_000].map((dau) => [
        `${dau / 1_000_000} M daily users`,
        planFleet(measured, workload(dau)),
      ]),
    );
    console.log(
      '\nthe fleet (50 requests and 0.2 uploads per user a day, 500 B a photo row, 5 years, 1 TB a shard, 2 data centers):',
    );
    const round = (plan: object) =>
      Object.fromEntries(
        Object.entries(plan).map(([k, v]) => [k, Number.isInteger(v) ? v : Number(v.toFixed(1))]),
      );
    console.table(Object.fromEntries(Object.entries(plans).map(([k, plan]) => [k, round(plan)])));
    const dir = path.join(root, '.kata', 'reports', '10-millions');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'fleet.json'), `${JSON.stringify({ measured, plans }, null, 2)}\n`);
    console.log(`saved: ${path.join(dir, 'fleet.json')}`);
  } finally {
    await system.close();
    for (const client of clients) client.disconnect();
    await nodes.drop();
    await cleanRedis();
  }
}

function workload(dailyActiveUsers: number): Workload {
  return {
    dailyActiveUsers,
    requestsPerUserPerDay: 50,
    uploadsPerUserPerDay: 0.2,
    bytesPerPhoto: 500,
    years: 5,
    bytesPerShard: 1e12,
    dataCenters: 2,
  };
}

/** Requests per second that answered 2xx, with 16 connections for `seconds`. */
async function rate(url: string, seconds: number, options: Partial<autocannon.Options>): Promise<number> {
  const result = await autocannon({ url, connections: 16, duration: seconds, ...options });
  return result['2xx'] / seconds;
}

async function cacheRate(client: Redis, seconds: number): Promise<number> {
  await client.set('bench:key', 'x'.repeat(500));
  const end = Date.now() + seconds * 1000;
  let reads = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < end) {
        await client.get('bench:key');
        reads++;
      }
    }),
  );
  return reads / seconds;
}

/** Jobs one worker finishes per second: its image processing, one job after another. */
async function workerRate(job: () => Promise<unknown>, seconds: number): Promise<number> {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  while (Date.now() < end) {
    await job();
    done++;
  }
  return done / seconds;
}
