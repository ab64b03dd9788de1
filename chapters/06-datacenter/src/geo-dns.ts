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
 * Task 1: starts the server on 127.0.0.1 (port 0: a free port). It answers A queries for `<name>.<origin>`
 * with the address `choose()` picks for the client: the EDNS Client Subnet option (code 8) of the query's
 * OPT record, or the address the query came from when it has none; and echoes that option with a scope.
 * Other names in the zone: NXDOMAIN; names outside it: REFUSED; garbage must not stop the server.
 * Task 2 adds the health checks here: every `checkIntervalMs`, `checkHealth()` every data center (a first
 * round before answering) and give `choose()` the verdicts.
 */
export async function startGeoDns(options: GeoDnsOptions, port = 0): Promise<GeoDns> {
  // TODO (README, task 1): the chapter 01 DNS server, grown. dgram + dns-packet.
  throw new Error('TODO (README, task 1): startGeoDns');
}

/** Task 2: one health check of a data center: healthy only on a 200 within `timeoutMs`. */
export async function checkHealth(url: string, timeoutMs: number): Promise<boolean> {
  throw new Error('TODO (README, task 2): checkHealth');
}
