/**
 * The photo service with everything that watches it: a log collector, a balancer, web servers sharing one
 * database and one Redis, and a worker — every process logging to the collector under its own name.
 */

import { createDatabase } from '#kit/db';
import { type RequestOptions, type RunningServer, request, serve } from '#kit/http';
import { createRedis } from '#kit/redis';
import { until, within } from '#kit/wait';
import { createAggregator } from '../src/aggregator.js';
import { createBalancer } from '../src/balancer.js';
import { createCollector } from '../src/collector.js';
import { createLogger } from '../src/logger.js';
import { createWebMetrics } from '../src/metrics.js';
import { createWebServer } from '../src/web-server.js';
import { createWorker } from '../src/worker.js';

export interface LogLine {
  level: number;
  time: number;
  msg?: unknown;
  service?: unknown;
  requestId?: unknown;
  [field: string]: unknown;
}

/**
 * `servers` web servers behind the balancer; with `metrics` (task 2 on) each gets its own metrics from
 * `createWebMetrics`, counts into them and serves them on /metrics.
 */
export async function startSystem({ servers = 2, metrics = false } = {}) {
  const collector = await serve(await createCollector());
  const logger = (service: string) => createLogger({ service, collectorUrl: collector.url });
  const db = await createDatabase();
  const store = createRedis();
  const worker = createWorker({ logger: logger('worker') });
  const webs: (RunningServer & { id: string })[] = [];
  for (let i = 1; i <= servers; i++) {
    const id = `web-${i}`;
    const server = await createWebServer({
      id,
      logger: logger(id),
      db: db.pool,
      redis: store.client,
      worker,
      ...(metrics ? { metrics: createWebMetrics(store.client) } : {}),
    });
    webs.push({ id, ...(await serve(server)) });
  }
  const balancer = await serve(
    createBalancer({ backends: webs.map((w) => w.url), logger: logger('balancer') }),
  );

  const send = (path: string, options: RequestOptions = {}) =>
    within(
      request(balancer.url + path, options),
      5000,
      `${options.method ?? (options.body ? 'POST' : 'GET')} ${path} through the balancer got no answer`,
    );
  const logs = async (query: Record<string, string>) => {
    const reply = await request(`${collector.url}/logs?${new URLSearchParams(query)}`);
    if (reply.status !== 200) throw new Error(`GET /logs answered ${reply.status}: ${reply.text}`);
    return reply.json<{ lines: LogLine[] }>().lines;
  };
  return {
    collector,
    db,
    store,
    worker,
    webs,
    balancer,
    send,
    logs,
    /** An aggregator over the web servers, listening. */
    async aggregator() {
      return serve(createAggregator({ targets: webs.map((w) => w.url) }));
    },
    /**
     * Asks the collector until `done(lines)` holds (log lines travel asynchronously), or fails with
     * `message` and what the collector had.
     */
    async waitForLogs(query: Record<string, string>, done: (lines: LogLine[]) => boolean, message: string) {
      let last: LogLine[] = [];
      await until(
        async () => {
          last = await logs(query);
          return done(last);
        },
        5000,
        () =>
          `${message}; the collector had ${last.length} lines: ${last.map((l) => `${String(l.service)}: ${String(l.msg)}`).join('; ')}`,
      );
      return last;
    },
  };
}

export function servicesOf(lines: LogLine[]): Set<unknown> {
  return new Set(lines.map((l) => l.service));
}
