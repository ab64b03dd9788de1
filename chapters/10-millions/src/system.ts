/**
 * The whole system from one config (README, task 1): geoDNS (06) → a load balancer per data center (02) →
 * stateless web servers with sessions in Redis (05) → a cache (04) in front of sharded (09), replicated
 * (03) user data → uploads through a queue (07) to workers. Task 3 keeps it at size while things break.
 * README: task 1. Split it as it grows: tiers.ts, data-center.ts, web-server.ts and workers.ts are yours.
 */
import type { Depth } from '../../07-message-queue/src/queue.js';
import type { SystemConfig } from './config.js';
import type { HealEvent } from './healing.js';

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

/**
 * Task 1: check the config (a clear error for one that cannot run), build the tiers, start every data
 * center, geoDNS over them (your chapter 06: one region per data center, its own first, then the others),
 * the workers, and a timer that runs healFleet every `limits.healIntervalMs` (task 3; until then it fails,
 * and the system must keep running).
 */
export async function startSystem(config: SystemConfig): Promise<System> {
  throw new Error(
    `TODO (README, task 1): start ${config.dataCenters.length} data centers, ${config.shards.length} shards and ${config.workers} workers from one config`,
  );
}
