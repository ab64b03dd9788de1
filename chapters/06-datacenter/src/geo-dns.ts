/**
 * The geoDNS: chapter 01's authoritative DNS server, grown. The answer for the geo-routed name depends on
 * where the client is — read from the EDNS Client Subnet option that resolvers add to their queries — and
 * on which data centers pass their health checks, which the server runs on its own every interval.
 */
import type { GeoConfig } from './routing.js';

export interface GeoDnsOptions extends GeoConfig {
  /** How often every data center's health URL is checked. */
  checkIntervalMs: number;
  /** A check that has no answer within this time fails (default: the interval). */
  checkTimeoutMs?: number;
}

export interface GeoDns {
  /** The UDP port the server listens on, on 127.0.0.1. */
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1 (port 0: a free port) once the first round of health checks is done.
 * - Task 1: answer A queries for `<name>.<origin>` with the address `choose()` picks for the client, read
 *   from the EDNS Client Subnet option (code 8) of the query's OPT record; echo that option with a scope.
 *   Other names in the zone: NXDOMAIN; names outside it: REFUSED; garbage must not stop the server.
 * - Task 2: check every data center's `healthUrl` every `checkIntervalMs` (failing after
 *   `checkTimeoutMs`) and give `choose()` the results.
 */
export async function startGeoDns(options: GeoDnsOptions, port = 0): Promise<GeoDns> {
  // TODO (README, tasks 1 and 2): the chapter 01 DNS server, grown. dgram + dns-packet.
  throw new Error('TODO (README, task 1): startGeoDns');
}
