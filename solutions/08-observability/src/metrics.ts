/**
 * The metrics of one web server, in its own prom-client registry (several servers share a test process):
 * host-level (CPU, memory, event-loop lag), tier-level (HTTP, database, cache) and business metrics.
 */
import type { Redis } from 'ioredis';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface WebMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  dbDuration: Histogram;
  cacheRequests: Counter<'result'>;
  signups: Counter;
  uploads: Counter;
  /** Marks a user active today, in the shared store: every server then reports the same count. */
  markActive(userId: string): Promise<void>;
}

/** The shared key of today's active users (UTC day). */
export function activeUsersKey(now = Date.now()): string {
  return `active-users:${new Date(now).toISOString().slice(0, 10)}`;
}

export function createWebMetrics(redis: Redis): WebMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: WebMetrics = {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    dbDuration: new Histogram({
      name: 'db_query_duration_seconds',
      help: 'Time of one database query',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    cacheRequests: new Counter({
      name: 'cache_requests_total',
      help: 'Cache lookups, by result: hit or miss',
      labelNames: ['result'],
      registers,
    }),
    signups: new Counter({ name: 'signups_total', help: 'Users who signed up', registers }),
    uploads: new Counter({ name: 'uploads_total', help: 'Photos uploaded', registers }),
    async markActive(userId) {
      const key = activeUsersKey();
      await redis.sadd(key, userId);
      await redis.expire(key, 2 * 24 * 3600);
    },
  };
  new Gauge({
    name: 'daily_active_users',
    help: 'Distinct users active today (UTC), across the whole web tier',
    registers,
    async collect() {
      this.set(await redis.scard(activeUsersKey()));
    },
  });
  return metrics;
}
