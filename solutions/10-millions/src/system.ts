/**
 * The whole system from one config (README, task 1): geoDNS (06) → a load balancer per data center (02) →
 * stateless web servers with sessions in Redis (05) → a cache (04) in front of sharded (09), replicated
 * (03) user data → uploads through a queue (07) to workers. Task 3 keeps it at size while things break.
 */

import { type GeoDns, startGeoDns } from '../../06-datacenter/src/geo-dns.js';
import type { Depth } from '../../07-message-queue/src/queue.js';
import type { SystemConfig } from './config.js';
import { checkConfig } from './config-check.js';
import { type DataCenter, startDataCenter } from './data-center.js';
import { type Fleet, type HealEvent, healFleet } from './healing.js';
import { closeTiers, createTiers, type Tiers } from './tiers.js';
import { startWorker } from './workers.js';

export interface Topology {
  /** Where geoDNS listens (UDP, 127.0.0.1) and the name clients resolve. */
  dns: { port: number; name: string };
  dataCenters: {
    id: string;
    address: string;
    /** The load balancer: where the public address leads. */
    url: string;
    up: boolean;
    webServers: { id: string; url: string }[];
  }[];
  shards: { name: string; primary: string; nodes: string[] }[];
  workers: string[];
}

export interface SystemStatus {
  queue: Depth;
  /** Each shard's nodes and their positions in its change log (null: the node does not answer). */
  replication: Record<string, Record<string, number | null>>;
  cache: { hits: number; misses: number };
  /** What the system did by itself to stay at size (task 3), oldest first. */
  healed: HealEvent[];
}

export interface System {
  describe(): Topology;
  status(): Promise<SystemStatus>;
  /** The shard that holds a user's rows. */
  shardOf(user: number): string;
  /** Kills a web server (`us-east/web-1`) or a worker (`worker-1`) at once, as a crashed process. */
  kill(id: string): Promise<void>;
  /** Takes a whole data center down: its balancer and its web servers stop answering. */
  takeDown(dataCenter: string): Promise<void>;
  /** Brings it back on the same address, at full size. */
  bringUp(dataCenter: string): Promise<void>;
  /** Stops everything it started; nothing keeps listening, polling or connecting. Twice is harmless. */
  close(): Promise<void>;
}

export async function startSystem(config: SystemConfig): Promise<System> {
  checkConfig(config);
  const { limits } = config;
  const tiers = await createTiers(config);
  const dataCenters: DataCenter[] = [];
  for (const dc of config.dataCenters)
    dataCenters.push(await startDataCenter(dc, tiers, limits.healthIntervalMs));
  const dns = await startGeoDns({
    origin: config.zone,
    name: 'api',
    ttl: limits.dnsTtlSeconds,
    dataCenters: dataCenters.map((dc) => ({ id: dc.id, address: dc.address, healthUrl: `${dc.url}/health` })),
    regions: config.dataCenters.map((dc) => ({
      name: dc.id,
      subnets: dc.subnets,
      prefer: [dc.id, ...config.dataCenters.filter((o) => o !== dc).map((o) => o.id)],
    })),
    fallback: config.dataCenters.map((dc) => dc.id),
    checkIntervalMs: limits.healthIntervalMs,
    // A check through a busy balancer and web server may take longer than the interval: give it a second.
    checkTimeoutMs: Math.max(limits.healthIntervalMs, 1000),
  });
  const fleet = startFleet(config, tiers, dataCenters);
  const healer = startHealer(fleet, limits.healIntervalMs);
  return systemOf(config, tiers, fleet, dns, healer);
}

function startFleet(config: SystemConfig, tiers: Tiers, dataCenters: DataCenter[]): Fleet {
  let serial = 0;
  const next = () => startWorker(`worker-${++serial}`, tiers, config.work);
  return {
    dataCenters,
    workers: Array.from({ length: config.workers }, next),
    startWorker: next,
    shards: tiers.shards,
    nodesDown: new Map(),
    events: [],
  };
}

/** Heals the fleet every interval, one round at a time; stop() waits for the round under way. */
function startHealer(fleet: Fleet, intervalMs: number) {
  let stopped = false;
  let round: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    round = round.then(() => (stopped ? undefined : healFleet(fleet).catch(() => undefined)));
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await round;
    },
  };
}

function systemOf(
  config: SystemConfig,
  tiers: Tiers,
  fleet: Fleet,
  dns: GeoDns,
  healer: { stop(): Promise<void> },
): System {
  const dcById = (id: string) => {
    const dc = fleet.dataCenters.find((d) => d.id === id);
    if (!dc)
      throw new Error(
        `no data center ${id}: the config has ${fleet.dataCenters.map((d) => d.id).join(', ')}`,
      );
    return dc;
  };
  let closing: Promise<void> | undefined;
  return {
    describe: () => ({
      dns: { port: dns.port, name: `api.${config.zone}` },
      dataCenters: fleet.dataCenters.map((dc) => ({
        id: dc.id,
        address: dc.address,
        url: dc.url,
        up: dc.up,
        webServers: dc.webServers(),
      })),
      shards: config.shards.map((s) => ({
        name: s.name,
        primary: tiers.shards.get(s.name)?.primary() ?? '',
        nodes: s.nodes.map((n) => n.name),
      })),
      workers: fleet.workers.filter((w) => w.alive).map((w) => w.id),
    }),
    async status() {
      const replication: SystemStatus['replication'] = {};
      for (const [name, cluster] of tiers.shards) replication[name] = await cluster.positions();
      return {
        queue: await tiers.queue.depth(),
        replication,
        cache: { ...tiers.cacheStats },
        healed: [...fleet.events],
      };
    },
    shardOf: (user) => tiers.ring.shardFor(user),
    async kill(id) {
      const worker = fleet.workers.find((w) => w.id === id && w.alive);
      if (worker) return worker.kill();
      for (const dc of fleet.dataCenters) if (await dc.kill(id)) return;
      throw new Error(`kill: no running web server or worker ${id}`);
    },
    takeDown: (id) => dcById(id).takeDown(),
    bringUp: (id) => dcById(id).bringUp(),
    close() {
      closing ??= (async () => {
        await healer.stop();
        await Promise.all(fleet.workers.map((w) => w.stop()));
        await dns.close();
        await Promise.all(fleet.dataCenters.map((dc) => dc.close()));
        await closeTiers(tiers);
      })();
      return closing;
    },
  };
}
