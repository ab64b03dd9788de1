/**
 * The lab: the machines a whole system runs on (database nodes, Redis stores), the config the tests hand
 * to your `startSystem`, the tests' stand-in for image processing, and clients that reach the system as
 * real ones do — through DNS, then HTTP to the address DNS gave, with a browser's cookies.
 */
import { onTestFinished } from 'vitest';
import { type Browser, browser } from '#kit/cookies';
import { createDatabase, type DatabaseNode } from '#kit/db';
import { resolve } from '#kit/dns';
import type { Reply, RequestOptions } from '#kit/http';
import { createRedis, type RedisStore } from '#kit/redis';
import { step } from '#kit/wait';
import type { Limits, UploadJob } from '../src/config.js';
import { type System, startSystem } from '../src/system.js';

export const ZONE = 'photos.test';
export const NAME = `api.${ZONE}`;

/** Two regions, each with its own data center; clients are told apart by the subnet of their address. */
export const REGIONS = {
  'us-east': { address: '192.0.2.10', subnet: '198.51.100.0/24', client: '198.51.100.7' },
  'eu-west': { address: '192.0.2.20', subnet: '203.0.113.0/24', client: '203.0.113.9' },
} as const;
export type RegionId = keyof typeof REGIONS;

/** The limits the README gives for the lab. */
export const LIMITS: Limits = {
  sessionTtlSeconds: 600,
  cacheTtlSeconds: 1,
  pullIntervalMs: 1000,
  healthIntervalMs: 200,
  dnsTtlSeconds: 1,
  visibilityTimeoutMs: 1000,
  healIntervalMs: 250,
};

/** The tests' image processing: records every job it is given, and can hold jobs mid-work on demand. */
export interface Work {
  run(job: UploadJob): Promise<void>;
  /** Every job started, in order, with the worker that ran it. */
  readonly started: UploadJob[];
  /** Jobs started and not finished yet. */
  readonly inHand: UploadJob[];
  /** Every job whose work ran to its end, in order. */
  readonly finished: UploadJob[];
  /** From now on, jobs wait mid-work until release(). */
  hold(): void;
  release(): void;
}

function createWork(ms: number): Work {
  const started: UploadJob[] = [];
  const finished: UploadJob[] = [];
  const inHand = new Set<UploadJob>();
  let gate: { promise: Promise<void>; open(): void } | undefined;
  return {
    async run(job) {
      started.push(job);
      inHand.add(job);
      try {
        await new Promise((r) => setTimeout(r, ms));
        if (gate) await gate.promise;
        finished.push(job);
      } finally {
        inHand.delete(job);
      }
    },
    started,
    finished,
    get inHand() {
      return [...inHand];
    },
    hold() {
      let open = () => {};
      const promise = new Promise<void>((r) => {
        open = r;
      });
      gate = { promise, open };
    },
    release() {
      gate?.open();
      gate = undefined;
    },
  };
}

export interface Lab {
  system: System;
  /** Database nodes by name: `s1-a` is shard s1's first (starting primary) node. */
  nodes: Record<string, DatabaseNode>;
  shards: string[];
  stores: { sessions: RedisStore; cache: RedisStore; queue: RedisStore };
  work: Work;
  /** A client in a region: its own cookie jar and DNS cache. */
  client(region: RegionId): Client;
}

export interface LabOptions {
  webServers?: number;
  shards?: number;
  workers?: number;
  /** How long one job's processing takes. */
  workMs?: number;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const shardNames = Array.from({ length: options.shards ?? 2 }, (_, i) => `s${i + 1}`);
  const names = shardNames.flatMap((shard) => ['a', 'b', 'c'].map((n) => `${shard}-${n}`));
  const created = await Promise.all(names.map(() => createDatabase()));
  const nodes: Record<string, DatabaseNode> = Object.fromEntries(
    names.map((name, i) => [name, created[i] as DatabaseNode]),
  );
  const stores = { sessions: createRedis(), cache: createRedis(), queue: createRedis() };
  const work = createWork(options.workMs ?? 20);
  const system = await step(
    'startSystem(config) resolves once geoDNS, the load balancers, the web servers and the workers run',
    startSystem({
      zone: ZONE,
      dataCenters: Object.entries(REGIONS).map(([id, r]) => ({
        id,
        address: r.address,
        subnets: [r.subnet],
        webServers: options.webServers ?? 2,
      })),
      shards: shardNames.map((name) => ({
        name,
        nodes: ['a', 'b', 'c'].map((n) => ({
          name: `${name}-${n}`,
          pool: (nodes[`${name}-${n}`] as DatabaseNode).pool,
        })),
      })),
      redis: {
        sessions: () => stores.sessions.connect(),
        cache: () => stores.cache.connect(),
        queue: () => stores.queue.connect(),
      },
      workers: options.workers ?? 2,
      work: (job) => work.run(job),
      limits: LIMITS,
    }),
  );
  onTestFinished(() => step('system.close() stops everything it started', system.close(), 15_000));
  return {
    system,
    nodes,
    shards: shardNames,
    stores,
    work,
    client: (region) => createClient(system, region),
  };
}

/** What a client saw of one request: the answer, or the error that stopped it. */
export interface Seen {
  reply?: Reply;
  error?: string;
  /** The data center the client reached. */
  dataCenter?: string;
}

export interface Client {
  readonly region: RegionId;
  /** A request to the API name: resolved through geoDNS (cached for the answer's TTL), then HTTP. */
  call(method: string, path: string, body?: unknown): Promise<Seen>;
  /** Where DNS sends this client now. */
  resolveDataCenter(): Promise<string>;
  browser: Browser;
}

function createClient(system: System, region: RegionId): Client {
  const jar = browser();
  let cached: { address: string; until: number } | undefined;
  const lookup = async (fresh: boolean) => {
    if (!fresh && cached && cached.until > Date.now()) return cached.address;
    const reply = await resolve(system.describe().dns.port, NAME, {
      clientSubnet: REGIONS[region].client,
      timeoutMs: 2000,
    });
    const address = reply.addresses[0];
    if (!address) throw new Error(`geoDNS answered ${reply.rcode} with no address for ${NAME}`);
    cached = { address, until: Date.now() + (reply.ttls[0] ?? 0) * 1000 };
    return address;
  };
  const dataCenterAt = (address: string) => {
    const dc = system.describe().dataCenters.find((d) => d.address === address);
    if (!dc) throw new Error(`geoDNS answered ${address}, which is no data center's address in describe()`);
    return dc;
  };
  const once = async (fresh: boolean, method: string, path: string, body?: unknown): Promise<Seen> => {
    let dataCenter: string | undefined;
    try {
      const dc = dataCenterAt(await lookup(fresh));
      dataCenter = dc.id;
      const options: RequestOptions = { method, host: NAME, ...(body === undefined ? {} : { body }) };
      return { reply: await jar.request(`${dc.url}${path}`, options), dataCenter };
    } catch (error) {
      return { error: (error as Error).message, dataCenter };
    }
  };
  return {
    region,
    browser: jar,
    async call(method, path, body) {
      const first = await once(false, method, path, body);
      // A connection refused was never received: ask DNS again, as a browser does, and try once more.
      if (first.error && /ECONNREFUSED/.test(first.error)) return once(true, method, path, body);
      return first;
    },
    async resolveDataCenter() {
      return dataCenterAt(await lookup(true)).id;
    },
  };
}

/** A short description of what a client saw, for failure messages. */
export function describeSeen(seen: Seen): string {
  if (seen.reply) return `${seen.reply.status} ${seen.reply.text.slice(0, 160)}`;
  return `no answer (${seen.error})`;
}

/** The JSON body of what a client saw (a readable error when no answer came). */
export function bodyOf<T>(seen: Seen): T {
  if (!seen.reply) throw new Error(`no answer: ${seen.error}`);
  return seen.reply.json() as T;
}
