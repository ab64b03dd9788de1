/**
 * The metrics of one web server, in its own prom-client registry (several servers share a test process):
 * host-level (CPU, memory, event-loop lag), tier-level (HTTP, database, cache) and business metrics.
 * README: task 2.
 */
import type { Redis } from 'ioredis';
import type { Counter, Histogram, Registry } from 'prom-client';

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
  throw new Error(`TODO (README, task 2): the key of the active users of the day of ${now}`);
}

export function createWebMetrics(redis: Redis): WebMetrics {
  // TODO: new Registry(); collectDefaultMetrics({ register }); the counters, histograms and the
  //       daily_active_users gauge (its collect() reads the shared set) of the README's table.
  throw new Error('TODO (README, task 2): the metrics of one web server');
}
