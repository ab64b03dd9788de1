/**
 * Servers whose metrics are known in advance: each serves a `/metrics` page written by prom-client from a
 * seeded latency workload, so that the true percentiles of all their requests together can be computed.
 */
import http from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { serve } from '#kit/http';
import { seededRandom } from '#kit/random';

export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Shape {
  /** Requests and their latency range in seconds (uniform within it). */
  parts: { count: number; min: number; max: number; status: string }[];
  /** The server's queue depth: a gauge. */
  depth: number;
}

/** Three servers: two fast ones, and one with a slow tail that fails a little. */
export const SHAPES: Shape[] = [
  { parts: [{ count: 4000, min: 0.01, max: 0.06, status: '200' }], depth: 5 },
  { parts: [{ count: 4000, min: 0.02, max: 0.09, status: '200' }], depth: 7 },
  {
    parts: [
      { count: 1400, min: 0.01, max: 0.05, status: '200' },
      { count: 500, min: 0.4, max: 2.4, status: '200' },
      { count: 100, min: 0.4, max: 2.4, status: '500' },
    ],
    depth: 9,
  },
];

export async function startWorkloadServers(shapes: Shape[] = SHAPES) {
  const all: number[] = [];
  const servers = [];
  for (const [index, shape] of shapes.entries()) {
    const random = seededRandom(808 + index);
    const registry = new Registry();
    const latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route'],
      buckets: BUCKETS,
      registers: [registry],
    });
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    new Gauge({ name: 'queue_depth', help: 'Jobs waiting', registers: [registry] }).set(shape.depth);
    // A gauge with nothing to report yet: prom-client writes its value as `Nan`, which Prometheus reads.
    new Gauge({ name: 'queue_oldest_age_seconds', help: 'Age of the oldest job', registers: [registry] }).set(
      Number.NaN,
    );
    for (const part of shape.parts) {
      for (let i = 0; i < part.count; i++) {
        const seconds = part.min + (part.max - part.min) * random();
        all.push(seconds);
        const route = i % 3 === 0 ? '/users' : '/photos/:id';
        latency.observe({ method: 'GET', route }, seconds);
        requests.inc({ method: 'GET', route, status: part.status });
      }
    }
    const page = await registry.metrics();
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(page);
    });
    servers.push(await serve(server));
  }
  all.sort((a, b) => a - b);
  return {
    servers,
    /** The true q-quantile of every request of every server (nearest rank). */
    truth: (q: number) => all[Math.ceil(q * all.length) - 1] as number,
    mean: all.reduce((s, x) => s + x, 0) / all.length,
    count: all.length,
  };
}
