/**
 * The geoDNS's decision, apart from packets: which data center a client is sent to. A client belongs to the
 * region whose subnets hold its address; the region lists data centers nearest first, or splits its clients
 * between them by weight. Unhealthy data centers are skipped.
 */
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

/** The region whose subnets hold `ip` (an IPv4 address), or undefined. */
export function regionOf(config: GeoConfig, ip: string | undefined): Region | undefined {
  // TODO (README, task 1): match `ip` against each region's CIDR subnets.
  throw new Error('TODO (README, task 1): regionOf');
}

/**
 * The data center for a client: its region's weighted pick (stable per client) or its nearest one, then the
 * rest of its `prefer` list (or `fallback` for a client in no region), then the other data centers —
 * skipping those `healthy(id)` says are down (task 2 gives it the health checks' verdicts; until then every
 * data center is healthy). When none is healthy, answer as if all were (fail open).
 */
export function choose(
  config: GeoConfig,
  clientIp: string | undefined,
  healthy: (id: string) => boolean,
): DataCenter {
  // TODO (README, task 1): regions, weights, `fallback`; the order is what task 2's failover walks.
  throw new Error('TODO (README, task 1): choose');
}
