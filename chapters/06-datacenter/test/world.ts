/**
 * The test world: two data centers behind a geoDNS, and clients in two regions.
 * Data centers have public addresses from the documentation range (192.0.2.x); `route()` is this test
 * network's routing table, from a public address to where that data center's balancer listens on 127.0.0.1.
 * Clients are told apart by the EDNS Client Subnet their resolver puts in each query, not by the address
 * the query comes from (every test client sends from 127.0.0.1).
 */
import http from 'node:http';
import dnsPacket from 'dns-packet';
import { startBalancer, type TestBalancer } from '#kit/balancer';
import { createDatabase, type DatabaseNode } from '#kit/db';
import { type RequestOptions, type RunningServer, request, serve } from '#kit/http';
import { createRedis, type RedisStore } from '#kit/redis';
import { exchange } from '#kit/udp';
import type { GeoConfig } from '../src/routing.js';
import { createWebServer } from '../src/web-server.js';

export const ORIGIN = 'photos.test';
export const NAME = `api.${ORIGIN}`;
export const AMERICAS = '198.51.100.7';
export const EUROPE = '203.0.113.9';
export const US = { id: 'us', address: '192.0.2.10' };
export const EU = { id: 'eu', address: '192.0.2.20' };

const routes = new Map<string, string>();
/** Where a public address is reachable in this test network (its balancer on 127.0.0.1). */
export function route(address: string): string {
  const url = routes.get(address);
  if (!url) throw new Error(`no route to ${address}: the geoDNS answered an address no data center has`);
  return url;
}

/** The geo configuration the tests give the learner's geoDNS: Americas → us first, Europe → eu first. */
export function geoConfig(sites: { id: string; address: string; url: string }[], ttl = 1): GeoConfig {
  return {
    origin: ORIGIN,
    name: 'api',
    ttl,
    dataCenters: sites.map((s) => ({ id: s.id, address: s.address, healthUrl: `${s.url}/health` })),
    regions: [
      { name: 'americas', subnets: ['198.51.100.0/24'], prefer: ['us', 'eu'] },
      { name: 'europe', subnets: ['203.0.113.0/24'], prefer: ['eu', 'us'] },
      { name: 'lab', subnets: ['10.0.0.0/8'], prefer: ['us', 'eu'], weights: { us: 80, eu: 20 } },
    ],
    fallback: ['us', 'eu'],
  };
}

// ---------------------------------------------------------------- DNS

export interface DnsAnswer {
  rcode: string;
  addresses: string[];
  ttls: number[];
  /** The EDNS Client Subnet option of the response, if it had one. */
  ecs?: { sourcePrefixLength: number; scopePrefixLength: number; ip: string };
}

/** One real UDP query to the geoDNS; `clientIp` becomes an EDNS Client Subnet option (/24). */
export async function query(
  port: number,
  name: string,
  { clientIp, type = 'A' }: { clientIp?: string; type?: string } = {},
): Promise<DnsAnswer> {
  const packet = {
    type: 'query',
    id: Math.floor(Math.random() * 65535),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name }],
    additionals: clientIp
      ? [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: 4096,
            options: [{ code: 8, family: 1, sourcePrefixLength: 24, scopePrefixLength: 0, ip: clientIp }],
          },
        ]
      : [],
  };
  const reply = dnsPacket.decode(
    await exchange(port, dnsPacket.encode(packet as unknown as dnsPacket.Packet)),
  );
  const a = (reply.answers ?? []).filter((r) => r.type === 'A') as dnsPacket.StringAnswer[];
  const opt = (reply.additionals ?? []).find((r) => r.type === 'OPT') as
    | { options?: { code: number; sourcePrefixLength: number; scopePrefixLength: number; ip: string }[] }
    | undefined;
  const ecs = opt?.options?.find((o) => o.code === 8);
  return {
    rcode: (reply as { rcode?: string }).rcode ?? 'NOERROR',
    addresses: a.map((r) => r.data),
    ttls: a.map((r) => r.ttl ?? 0),
    ...(ecs ? { ecs } : {}),
  };
}

/** A condition for `until` (#kit/wait): the geoDNS now answers `address` first. */
export function answered(ask: () => Promise<DnsAnswer>, address: string) {
  return async () => (await ask()).addresses[0] === address;
}

// ---------------------------------------------------------------- data centers

export interface Site {
  id: string;
  address: string;
  /** The balancer's own URL (what `route(address)` gives). */
  url: string;
  balancer: TestBalancer;
  /** Closes every web server of the data center: its balancer stays, with no one behind it. */
  down(): Promise<void>;
  /** Starts fresh web servers behind the balancer again. */
  up(): Promise<void>;
}

/**
 * A data center whose web servers are small stand-ins answering `{ dc, server }` on every path: for the
 * geoDNS and failover tasks, which need data centers that can go down but not the web server of task 3.
 * `hang()` makes them accept requests and never answer.
 */
export async function startSite(dc: { id: string; address: string }, servers = 2) {
  let hanging = false;
  const app = (server: string) =>
    http.createServer((_req, res) => {
      if (hanging) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ dc: dc.id, server }));
    });
  const site = await startDataCenterWith(dc, servers, async (server) => app(server));
  return Object.assign(site, {
    hang() {
      hanging = true;
    },
  });
}

async function startDataCenterWith(
  dc: { id: string; address: string },
  count: number,
  build: (server: string) => Promise<http.Server>,
): Promise<Site> {
  const balancer = await startBalancer();
  routes.set(dc.address, balancer.url);
  let running: { id: string; server: RunningServer }[] = [];
  let generation = 0;
  const up = async () => {
    generation += 1;
    for (let i = 1; i <= count; i += 1) {
      const id = `${dc.id}-${generation}-${i}`;
      const server = await serve(await build(id));
      running.push({ id, server });
      balancer.add(id, server.url);
    }
  };
  await up();
  return {
    ...dc,
    url: balancer.url,
    balancer,
    async down() {
      await Promise.all(running.map((r) => r.server.kill()));
      await Promise.all(running.map((r) => balancer.remove(r.id)));
      running = [];
    },
    up,
  };
}

export interface DataCenter extends Site {
  db: DatabaseNode;
  redis: RedisStore;
  /** What a replicator is given for this data center. */
  store: { id: string; db: DatabaseNode['pool']; redis: RedisStore['client'] };
}

/** A data center running your web server (task 3): its own database and Redis, two web servers. */
export async function startDataCenter(dc: { id: string; address: string }): Promise<DataCenter> {
  const db = await createDatabase();
  const redis = createRedis();
  const site = await startDataCenterWith(dc, 2, () =>
    createWebServer({ id: dc.id, db: db.connect(), redis: redis.connect(), version: '1.0.0' }),
  );
  return { ...site, db, redis, store: { id: dc.id, db: db.pool, redis: redis.client } };
}

// ---------------------------------------------------------------- clients

/**
 * A client that follows DNS like a browser: it resolves the name through the geoDNS with its resolver's
 * client subnet, keeps the answer for its TTL, sends requests to that address, and keeps cookies.
 */
export function dnsClient(dnsPort: number, clientIp: string) {
  let cached: { address: string; until: number } | undefined;
  let cookie = '';
  const log: { address: string; status: number | 'error'; path: string }[] = [];
  const resolve = async () => {
    if (cached && performance.now() < cached.until) return cached.address;
    const answer = await query(dnsPort, NAME, { clientIp });
    const address = answer.addresses[0];
    if (!address) throw new Error(`the geoDNS gave no address for ${NAME} (rcode ${answer.rcode})`);
    cached = { address, until: performance.now() + (answer.ttls[0] ?? 0) * 1000 };
    return address;
  };
  return {
    log,
    /** Forgets the cached answer, as when its TTL ran out. */
    expire() {
      cached = undefined;
    },
    async send(path: string, options: RequestOptions = {}) {
      const address = await resolve();
      try {
        const reply = await request(route(address) + path, {
          ...options,
          host: NAME,
          headers: { ...options.headers, ...(cookie ? { cookie } : {}) },
        });
        const set = [reply.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('sid='));
        if (set) cookie = set.split(';')[0] ?? '';
        log.push({ address, status: reply.status, path });
        return reply;
      } catch (error) {
        log.push({ address, status: 'error', path });
        throw error;
      }
    },
  };
}
