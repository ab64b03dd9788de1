/**
 * The metrics aggregator: it scrapes every server's `/metrics` and combines them into the tier's view.
 * One server's numbers say little; the tier's totals and percentiles are what the dashboards show.
 *   GET /metrics   counters and histograms summed over the servers (same name and labels → one series);
 *                  gauges kept per server with an `instance` label; `up{instance}` 1 or 0 per server
 *   GET /summary   { servers, up, requests, errors, errorRate, latency: { p50, p95, p99 },
 *                    cacheHitRatio, signups, uploads }
 */
import http from 'node:http';
import {
  bucketsOf,
  formatMetrics,
  histogramQuantile,
  type MetricFamily,
  parseMetrics,
  type Sample,
} from './prom-text.js';

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

export function createAggregator({ targets, timeoutMs = 2000 }: AggregatorOptions): http.Server {
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const answer = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/summary'))
      return answer(404, 'application/json', JSON.stringify({ error: `no route ${req.method} ${path}` }));
    combine(targets, timeoutMs).then(
      (families) =>
        path === '/metrics'
          ? answer(200, 'text/plain; version=0.0.4; charset=utf-8', formatMetrics(families))
          : answer(200, 'application/json', JSON.stringify(summarize(families))),
      (error: Error) => answer(500, 'application/json', JSON.stringify({ error: error.message })),
    );
  });
}

/** Scrapes every target and combines the families. */
export async function combine(targets: string[], timeoutMs: number): Promise<MetricFamily[]> {
  const pages = await Promise.all(targets.map((url) => scrape(url, timeoutMs).catch(() => undefined)));
  const combined = new Map<string, MetricFamily>();
  const series = new Map<string, Sample>();
  const up: MetricFamily = { name: 'up', type: 'gauge', help: 'Whether the last scrape worked', samples: [] };
  pages.forEach((families, index) => {
    const instance = targets[index] as string;
    up.samples.push({ name: 'up', labels: { instance }, value: families ? 1 : 0 });
    for (const family of families ?? []) {
      let target = combined.get(family.name);
      if (!target) {
        target = { name: family.name, type: family.type, help: family.help, samples: [] };
        combined.set(family.name, target);
      }
      for (const sample of family.samples) {
        if (family.type === 'gauge' || family.type === 'untyped') {
          target.samples.push({ ...sample, labels: { ...sample.labels, instance } });
          continue;
        }
        const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
        const existing = series.get(key);
        if (existing) existing.value += sample.value;
        else {
          const copy = { ...sample, labels: { ...sample.labels } };
          series.set(key, copy);
          target.samples.push(copy);
        }
      }
    }
  });
  return [...combined.values(), up];
}

async function scrape(url: string, timeoutMs: number): Promise<MetricFamily[]> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = http.get(new URL('/metrics', url), { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks).toString('utf8'))
          : reject(new Error(`status ${res.statusCode}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error('scrape timed out')));
    req.on('error', reject);
  });
  return parseMetrics(text);
}

export function summarize(families: MetricFamily[]): Summary {
  // A counter's family is `x_total` on prom-client's pages and `x` in OpenMetrics: accept both.
  const family = (name: string) =>
    families.find((f) => f.name === name || `${f.name}_total` === name || f.name === `${name}_total`);
  const total = (name: string, keep: (s: Sample) => boolean = () => true) =>
    (family(name)?.samples ?? [])
      .filter((s) => !s.name.endsWith('_created') && keep(s))
      .reduce((sum, s) => sum + s.value, 0);
  const requests = total('http_requests_total');
  const errors = total('http_requests_total', (s) => /^5\d\d$/.test(s.labels.status ?? ''));
  const buckets = bucketsOf(family('http_request_duration_seconds'));
  const quantile = (q: number) => {
    const value = histogramQuantile(q, buckets);
    return Number.isNaN(value) ? null : value;
  };
  const hits = total('cache_requests_total', (s) => s.labels.result === 'hit');
  const lookups = total('cache_requests_total');
  const up = family('up')?.samples ?? [];
  return {
    servers: up.length,
    up: up.filter((s) => s.value === 1).length,
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    latency: { p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99) },
    cacheHitRatio: lookups === 0 ? null : hits / lookups,
    signups: total('signups_total'),
    uploads: total('uploads_total'),
  };
}
