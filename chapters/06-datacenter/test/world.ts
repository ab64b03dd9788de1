/**
 * The test world: three data centers behind a geoDNS, and clients in several regions (the data centers that
 * run your web server, for task 3, are in data-centers.ts).
 * Data centers have public addresses from the documentation range (192.0.2.x); `route()` is this test
 * network's routing table, from a public address to where that data center's balancer listens on 127.0.0.1.
 * Clients are told apart by the EDNS Client Subnet their resolver puts in each query, not by the address
 * the query comes from (every test client sends from 127.0.0.1).
 */
import http from 'node:http';
import { startBalancer, type TestBalancer } from '#kit/balancer';
import { browser } from '#kit/cookies';
import { resolve } from '#kit/dns';
import { type RequestOptions, type RunningServer, serve } from '#kit/http';
import type { GeoConfig } from '../src/routing.js';

export const ORIGIN = 'photos.test';
export const NAME = `api.${ORIGIN}`;
/** Client addresses in each region of the geo configuration (sent as their EDNS Client Subnet). */
export const AMERICAS = '198.51.100.7';
export const EUROPE = '203.0.113.9';
export const ASIA = '198.18.7.9';
/** A client in no region: it gets the `fallback` order. */
export const NOWHERE = '192.168.44.1';
export const US = { id: 'us', address: '192.0.2.10' };
export const EU = { id: 'eu', address: '192.0.2.20' };
export const AP = { id: 'ap', address: '192.0.2.30' };

const routes = new Map<string, string>();
/** Where a public address is reachable in this test network (its balancer on 127.0.0.1). */
export function route(address: string): string {
  const url = routes.get(address);
  if (!url) throw new Error(`no route to ${address}: the geoDNS answered an address no data center has`);
  return url;
}

/**
 * The geo configuration the tests give the learner's geoDNS. The data centers are listed us, eu, ap; the
 * regions prefer them in other orders, so that "the next of the region's list" and "the next of the
 * configuration" are different answers. Lists name only the data centers the test started.
 *
 * | region   | subnets          | prefer              |
 * |----------|------------------|---------------------|
 * | americas | 198.51.100.0/24  | us, eu, ap          |
 * | europe   | 203.0.113.0/24   | eu, ap, us          |
 * | asia     | 198.18.0.0/15    | ap, eu, us          |
 * | lab      | 10.0.0.0/8       | us, eu (weights us 80, eu 20) |
 * | here     | 127.0.0.0/8      | ap, eu, us (the tests' own resolver: queries without a client subnet) |
 * | fallback | anyone else      | eu, ap, us          |
 */
export function geoConfig(sites: { id: string; address: string; url: string }[], ttl = 1): GeoConfig {
  const ids = new Set(sites.map((s) => s.id));
  const only = (list: string[]) => list.filter((id) => ids.has(id));
  const weights = Object.fromEntries(
    Object.entries({ us: 80, eu: 20 }).filter(([id]) => ids.has(id)),
  ) as Record<string, number>;
  return {
    origin: ORIGIN,
    name: 'api',
    ttl,
    dataCenters: sites.map((s) => ({ id: s.id, address: s.address, healthUrl: `${s.url}/health` })),
    regions: [
      { name: 'americas', subnets: ['198.51.100.0/24'], prefer: only(['us', 'eu', 'ap']) },
      { name: 'europe', subnets: ['203.0.113.0/24'], prefer: only(['eu', 'ap', 'us']) },
      { name: 'asia', subnets: ['198.18.0.0/15'], prefer: only(['ap', 'eu', 'us']) },
      { name: 'lab', subnets: ['10.0.0.0/8'], prefer: only(['us', 'eu']), weights },
      { name: 'here', subnets: ['127.0.0.0/8'], prefer: only(['ap', 'eu', 'us']) },
    ],
    fallback: only(['eu', 'ap', 'us']),
  };
}

// ---------------------------------------------------------------- DNS

/** Asks the geoDNS for the A record of `NAME` as a resolver with this client subnet would (none: no option). */
export function ask(port: number, clientIp?: string) {
  return resolve(port, NAME, clientIp ? { clientSubnet: clientIp } : {});
}

/**
 * A condition for `until` (#kit/wait): the geoDNS now answers `address` first. `last()` says what it
 * answered the last time it was asked, for the failure message.
 */
export function answered(port: number, clientIp: string | undefined, address: string) {
  let last = 'nothing yet';
  const condition = async () => {
    const addresses = (await ask(port, clientIp)).addresses;
    last = addresses.join(', ') || 'no address';
    return addresses[0] === address;
  };
  return Object.assign(condition, { last: () => last });
}

/** The first address the geoDNS answers for each of these clients, in order. */
export async function answersFor(port: number, clients: string[]): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for (const ip of clients) out.push((await ask(port, ip)).addresses[0]);
  return out;
}

/** Client subnets of the weighted lab region (10.0.0.0/8), one /24 each. */
export function labClients(count: number, second = 1): string[] {
  return Array.from({ length: count }, (_, i) => `10.${second + (i >> 8)}.${i & 255}.0`);
}

// ---------------------------------------------------------------- data centers

export interface Site {
  id: string;
  address: string;
  /** The balancer's own URL (what `route(address)` gives). */
  url: string;
  balancer: TestBalancer;
  /** The web servers running now, each where it answers directly (not through the balancer). */
  servers(): { id: string; url: string }[];
  /** Closes every web server of the data center: its balancer stays, with no one behind it. */
  down(): Promise<void>;
  /** Starts fresh web servers behind the balancer again. */
  up(): Promise<void>;
}

/**
 * A data center whose web servers are small stand-ins answering `{ dc, server }` on every path: for the
 * geoDNS and failover tasks, which need data centers that can go down but not the web server of task 3.
 * `hang()` makes them accept requests and never answer; `answer(404)` makes them answer that status.
 */
export async function startSite(dc: { id: string; address: string }, servers = 2) {
  let hanging = false;
  let status = 200;
  const app = (server: string) =>
    http.createServer((_req, res) => {
      if (hanging) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ dc: dc.id, server }));
    });
  const site = await startDataCenterWith(dc, servers, async (server) => app(server));
  return Object.assign(site, {
    /** The servers accept requests and never answer. */
    hang() {
      hanging = true;
    },
    /** The servers answer every request with this status (a broken release, a missing route). */
    answer(code: number) {
      status = code;
    },
  });
}

/** The three data centers of stand-in servers, in the configuration's order. */
export async function startSites() {
  return [await startSite(US), await startSite(EU), await startSite(AP)] as const;
}

export async function startDataCenterWith(
  dc: { id: string; address: string },
  count: number,
  build: (server: string, index: number) => Promise<http.Server>,
): Promise<Site> {
  const balancer = await startBalancer();
  routes.set(dc.address, balancer.url);
  let running: { id: string; server: RunningServer }[] = [];
  let generation = 0;
  const up = async () => {
    generation += 1;
    for (let i = 1; i <= count; i += 1) {
      const id = `${dc.id}-${generation}-${i}`;
      const server = await serve(await build(id, i));
      running.push({ id, server });
      balancer.add(id, server.url);
    }
  };
  await up();
  return {
    ...dc,
    url: balancer.url,
    balancer,
    servers: () => running.map((r) => ({ id: r.id, url: r.server.url })),
    async down() {
      await Promise.all(running.map((r) => r.server.kill()));
      await Promise.all(running.map((r) => balancer.remove(r.id)));
      running = [];
    },
    up,
  };
}

// ---------------------------------------------------------------- clients

/**
 * A client that follows DNS like a browser: it resolves the name through the geoDNS with its resolver's
 * client subnet, keeps the answer for its TTL, sends requests to that address, and keeps cookies.
 */
export function dnsClient(dnsPort: number, clientIp: string) {
  let cached: { address: string; until: number } | undefined;
  const jar = browser();
  const log: { address: string; status: number | 'error'; path: string }[] = [];
  const address = async () => {
    if (cached && performance.now() < cached.until) return cached.address;
    const answer = await ask(dnsPort, clientIp);
    const first = answer.addresses[0];
    if (!first) throw new Error(`the geoDNS gave no address for ${NAME} (rcode ${answer.rcode})`);
    cached = { address: first, until: performance.now() + (answer.ttls[0] ?? 0) * 1000 };
    return first;
  };
  return {
    log,
    /** Forgets the cached answer, as when its TTL ran out. */
    expire() {
      cached = undefined;
    },
    async send(path: string, options: RequestOptions = {}) {
      const to = await address();
      try {
        const reply = await jar.request(route(to) + path, { ...options, host: NAME });
        log.push({ address: to, status: reply.status, path });
        return reply;
      } catch (error) {
        log.push({ address: to, status: 'error', path });
        throw error;
      }
    },
  };
}
