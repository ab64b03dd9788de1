/**
 * The geoDNS's decision, apart from packets: which data center a client is sent to. A client belongs to the
 * region whose subnets hold its address; the region lists data centers nearest first, or splits its clients
 * between them by weight. Unhealthy data centers are skipped.
 */
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';

export interface DataCenter {
  id: string;
  /** The public address of the data center's load balancer: the A record clients get. */
  address: string;
  /** Where the geoDNS checks the data center's health: 200 means healthy. */
  healthUrl: string;
}

export interface Region {
  name: string;
  /** IPv4 subnets in CIDR notation, e.g. `198.51.100.0/24`. */
  subnets: string[];
  /** Data center ids, nearest first. */
  prefer: string[];
  /** Optional split of the region's clients, data center id → weight (e.g. 80 / 20). */
  weights?: Record<string, number>;
}

export interface GeoConfig {
  /** The zone, e.g. `photos.test`. */
  origin: string;
  /** The geo-routed name inside the zone, e.g. `api`. */
  name: string;
  /** Seconds resolvers may cache an answer: low, so that a failover reaches clients quickly. */
  ttl: number;
  dataCenters: DataCenter[];
  regions: Region[];
  /** Data center ids, in order, for clients outside every region. */
  fallback: string[];
}

/** The region whose subnets hold `ip`, or undefined. */
export function regionOf(config: GeoConfig, ip: string | undefined): Region | undefined {
  if (!ip || !isIPv4(ip)) return undefined;
  return config.regions.find((region) => region.subnets.some((subnet) => inSubnet(ip, subnet)));
}

/**
 * The data center for a client: its region's weighted pick (stable per client) or its nearest healthy one,
 * then the rest of its preference list (or `fallback`), then any other healthy data center. When no data
 * center is healthy, it answers as if all were (fail open): every check failing at once says more about the
 * checker than about the data centers, and an answer beats none.
 */
export function choose(
  config: GeoConfig,
  clientIp: string | undefined,
  healthy: (id: string) => boolean,
): DataCenter {
  const anyHealthy = config.dataCenters.some((dc) => healthy(dc.id));
  const up = anyHealthy ? healthy : () => true;
  const chosen = preferenceOrder(config, clientIp, up).find(up);
  const dc = config.dataCenters.find((d) => d.id === chosen);
  if (!dc) throw new Error(`geo config names an unknown data center: ${chosen}`);
  return dc;
}

/** The client's data centers in the order it should get them; a weighted pick among the healthy comes first. */
function preferenceOrder(config: GeoConfig, clientIp: string | undefined, healthy: (id: string) => boolean) {
  const region = regionOf(config, clientIp);
  const order = [...(region?.prefer ?? config.fallback)];
  if (region?.weights && clientIp) {
    const pick = weightedPick(region.weights, clientIp, healthy);
    if (pick) order.unshift(pick);
  }
  for (const dc of config.dataCenters) if (!order.includes(dc.id)) order.push(dc.id);
  return order;
}

/** A stable weighted choice: the client's address hashes to a point in [0, total) of the healthy weights. */
function weightedPick(
  weights: Record<string, number>,
  clientIp: string,
  healthy: (id: string) => boolean,
): string | undefined {
  const entries = Object.entries(weights).filter(([id, weight]) => weight > 0 && healthy(id));
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (total === 0) return undefined;
  let point = createHash('sha256').update(clientIp).digest().readUInt32BE(0) % total;
  for (const [id, weight] of entries) {
    if (point < weight) return id;
    point -= weight;
  }
  return undefined;
}

function inSubnet(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (toNumber(ip) & mask) >>> 0 === (toNumber(base) & mask) >>> 0;
}

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}
