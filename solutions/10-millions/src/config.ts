/**
 * The one config a whole system starts from. The tests hand it in: the machines (database nodes, Redis
 * stores) exist already, as they would in a cloud account; your code decides what runs on them and how the
 * tiers talk to each other.
 */
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';

export interface DataCenterConfig {
  /** e.g. `us-east`. */
  id: string;
  /** The public address of the data center's load balancer: the A record geoDNS gives its clients. */
  address: string;
  /** The clients of this data center's region (IPv4 CIDR), sent here while it is healthy. */
  subnets: string[];
  /** How many web servers run behind its load balancer. */
  webServers: number;
}

export interface DatabaseNodeConfig {
  name: string;
  pool: Pool;
}

export interface ShardConfig {
  /** The shard's name on the ring (chapter 09). */
  name: string;
  /** The shard's database nodes: the first starts as the primary, the others as its replicas (chapter 03). */
  nodes: DatabaseNodeConfig[];
}

/** One accepted upload, handed to a worker. */
export interface UploadJob {
  photo: string;
  owner: number;
  /** The worker that runs it. */
  worker: string;
}

export interface Limits {
  /** How long an idle session lives (chapter 05). */
  sessionTtlSeconds: number;
  /** How long a cached copy of a user's photo list lives (chapter 04). */
  cacheTtlSeconds: number;
  /** How often replicas pull the primary's log by themselves (chapter 03). */
  pullIntervalMs: number;
  /** How often the load balancers check their web servers, and geoDNS its data centers (chapters 02, 06). */
  healthIntervalMs: number;
  /** The TTL of geoDNS answers (chapter 06). */
  dnsTtlSeconds: number;
  /** A worker that has not finished a job within this time is presumed dead (chapter 07). */
  visibilityTimeoutMs: number;
  /** How often the system checks its fleet and heals it (task 3). */
  healIntervalMs: number;
}

export interface SystemConfig {
  /** The zone, e.g. `photos.test`: clients resolve `api.<zone>`. */
  zone: string;
  dataCenters: DataCenterConfig[];
  shards: ShardConfig[];
  /** Each opens a new client on one shared Redis store; close the clients you open. */
  redis: {
    /** Sessions (chapter 05) and each user's read position (task 2). */
    sessions: () => Redis;
    /** The cache tier (chapter 04): anything in it may be lost at any time. */
    cache: () => Redis;
    /** The upload queue and the albums it fills (chapter 07). */
    queue: () => Redis;
  };
  /** How many workers take upload jobs. */
  workers: number;
  /** The image processing of one upload (the tests' stand-in for chapter 07's sharp pipeline). */
  work: (job: UploadJob) => Promise<void>;
  limits: Limits;
}
