/**
 * One data center: a load balancer (your chapter 02) on a fixed port in front of stateless web servers.
 * README: task 1. Its faults are real: a killed web server stops answering at once, a data center taken
 * down closes its balancer, and one brought back listens on the same port again.
 */
import type { DataCenterConfig } from './config.js';
import type { Tiers } from './tiers.js';

export interface WebServerInfo {
  id: string;
  url: string;
}

export interface DataCenter {
  readonly id: string;
  readonly address: string;
  /** The balancer's URL, e.g. `http://127.0.0.1:41234`: where the public address leads. */
  readonly url: string;
  readonly up: boolean;
  webServers(): WebServerInfo[];
  /** Kills one web server at once; the balancer finds out by itself. It stays listed until replaced. */
  kill(id: string): Promise<boolean>;
  /** Replaces a dead web server by a new one (task 3); undefined when it is no longer there to replace. */
  replace(id: string): Promise<WebServerInfo | undefined>;
  takeDown(): Promise<void>;
  bringUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Task 1: `config.webServers` web servers (web-server.ts), each on 127.0.0.1 and a port of its own, named
 * `<data center id>/web-<n>`, and your load balancer of chapter 02 in front of them with active health
 * checks every `healthIntervalMs`, listening on 127.0.0.1 — on the same port again after bringUp().
 */
export async function startDataCenter(
  config: DataCenterConfig,
  tiers: Tiers,
  healthIntervalMs: number,
): Promise<DataCenter> {
  throw new Error(
    `TODO (README, task 1): data center ${config.id} with ${config.webServers} web servers behind a load balancer`,
  );
}
