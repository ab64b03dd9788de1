/**
 * Synthetic probes: what a user in each region gets. For every region, resolve the service's name the way
 * a resolver there would (with the region's client subnet), send a request to the answer and record who
 * served it and how it went. Run every minute, they see an outage before the users report it.
 */
export interface ProbeOptions {
  /** The geoDNS on 127.0.0.1. */
  dnsPort: number;
  /** The name to resolve, e.g. `api.photos.test`. */
  name: string;
  /** Each region and an address of a client there (sent as its EDNS Client Subnet). */
  regions: { name: string; clientIp: string }[];
  /** Where a public address is reachable from here (the test network's routing). */
  connect(address: string): string;
  timeoutMs?: number;
}

export interface ProbeResult {
  region: string;
  /** The address the geoDNS answered, if any. */
  address?: string;
  /** The data center that answered /health (its `dc`), if any. */
  servedBy?: string;
  ok: boolean;
  /** Why the probe failed. */
  error?: string;
  ms: number;
}

/** For every region: resolve `name` with the region's client subnet, then GET /health at the answer. */
export async function runProbes(options: ProbeOptions): Promise<ProbeResult[]> {
  throw new Error('TODO (README, task 4): runProbes');
}
