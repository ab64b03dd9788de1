/**
 * The metrics aggregator: it scrapes every server's `/metrics` and combines them into the tier's view.
 * README: task 3.
 *   GET /metrics   counters and histograms summed over the servers (same name and labels → one series);
 *                  gauges kept per server with an `instance` label; `up{instance}` 1 or 0 per server
 *   GET /summary   { servers, up, requests, errors, errorRate, latency: { p50, p95, p99 },
 *                    cacheHitRatio, signups, uploads }
 */
import type http from 'node:http';
import type { MetricFamily } from './prom-text.js';

export interface AggregatorOptions {
  /** The servers to scrape, e.g. `http://127.0.0.1:41234` (their `/metrics`). */
  targets: string[];
  /** How long one scrape may take before the server counts as down. Default 2000 ms. */
  timeoutMs?: number;
}

export interface Summary {
  servers: number;
  up: number;
  requests: number;
  errors: number;
  /** Errors (status 5xx) per request; 0 without requests. */
  errorRate: number;
  /** Seconds, from the combined `http_request_duration_seconds` buckets; null without requests. */
  latency: { p50: number | null; p95: number | null; p99: number | null };
  /** Hits per lookup of `cache_requests_total`; null without lookups. */
  cacheHitRatio: number | null;
  signups: number;
  uploads: number;
}

/** The aggregator's HTTP server, not listening yet: the caller decides where. */
export function createAggregator({ targets, timeoutMs = 2000 }: AggregatorOptions): http.Server {
  throw new Error(`TODO (README, task 3): an aggregator over ${targets.length} servers`);
}

/** Scrapes every target and combines the families. */
export async function combine(targets: string[], timeoutMs: number): Promise<MetricFamily[]> {
  throw new Error('TODO (README, task 3): scrape and combine');
}

export function summarize(families: MetricFamily[]): Summary {
  throw new Error('TODO (README, task 3): the summary of the combined metrics');
}
