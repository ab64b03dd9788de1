/**
 * Task 3 — aggregation. One server's numbers say little: the aggregator scrapes every server's `/metrics`
 * and combines them into the tier's view — totals summed, latency percentiles estimated from the combined
 * histogram buckets, the cache hit ratio of the whole tier.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { expectJsonError, expectStatus } from '#kit/expect';
import { request, serve } from '#kit/http';
import { within } from '#kit/wait';
import { createAggregator, type Summary } from '../src/aggregator.js';
import { expectedQuantile, metricsOf, samples, summedBuckets, total } from './prom-text.js';
import { startSystem } from './system.js';
import { SHAPES, startWorkloadServers } from './workload.js';

describe('Aggregating the metrics of every server', () => {
  it('estimates p50, p95 and p99 of the whole tier from the combined histogram buckets', async () => {
    const workload = await startWorkloadServers();
    const aggregator = await serve(createAggregator({ targets: workload.servers.map((s) => s.url) }));
    const reply = await request(`${aggregator.url}/summary`);
    expectStatus(reply, 200, 'GET /summary');
    const summary = reply.json<Summary>();
    const pages = await Promise.all(
      workload.servers.map(async (s, i) => metricsOf(await request(`${s.url}/metrics`), `server ${i}`)),
    );
    const buckets = summedBuckets(pages, 'http_request_duration_seconds');
    expect(summary.requests, 'requests: http_requests_total summed over the three servers').toBe(
      workload.count,
    );
    expect(summary.errors, 'errors: the requests answered with a 5xx status').toBe(100);
    expect(summary.errorRate, 'errorRate: errors per request').toBeCloseTo(100 / workload.count, 6);
    for (const [q, key] of [
      [0.5, 'p50'],
      [0.95, 'p95'],
      [0.99, 'p99'],
    ] as const) {
      const exact = expectedQuantile(q, buckets);
      const estimate = summary.latency[key];
      expect(
        typeof estimate === 'number' && Math.abs(estimate - exact) <= 1e-9 * Math.max(1, exact),
        `${key}: from the three servers' buckets added together, the README's rule gives ${exact.toFixed(4)} s (the true ${key} of the requests is ${workload.truth(q).toFixed(3)} s); got ${estimate}. ` +
          `Add the servers' bucket counts first, then find the bucket where rank ${q}×count falls and interpolate linearly inside it — a percentile of the tier is not an average of the servers' percentiles, and the mean (${workload.mean.toFixed(3)} s) is not a percentile`,
      ).toBe(true);
    }
  });

  it('combines the pages: counters and buckets summed, gauges kept per server, a down server shown as down', async () => {
    const workload = await startWorkloadServers();
    const targets = workload.servers.map((s) => s.url);
    const aggregator = await serve(createAggregator({ targets }));
    const page = metricsOf(await request(`${aggregator.url}/metrics`), 'the aggregator');
    const pages = await Promise.all(
      workload.servers.map(async (s, i) => metricsOf(await request(`${s.url}/metrics`), `server ${i}`)),
    );
    const sum = (name: string, labels: Record<string, string>) =>
      pages.reduce((n, p) => n + total(p, name, labels), 0);

    const combinedSeries = samples(page, 'http_requests_total', { route: '/users', status: '200' });
    expect(
      combinedSeries.length,
      'one combined series per name and labels: http_requests_total{route="/users",status="200"} appears once, summed over the servers',
    ).toBe(1);
    expect(combinedSeries[0]?.value, 'its value is the sum of the servers’ values').toBe(
      sum('http_requests_total', { route: '/users', status: '200' }),
    );
    for (const le of ['0.05', '0.5', '2.5', '+Inf']) {
      expect(
        total(page, 'http_request_duration_seconds_bucket', { route: '/photos/:id', le }),
        `the histogram bucket le="${le}" is summed over the servers: buckets add up, percentiles do not`,
      ).toBe(sum('http_request_duration_seconds_bucket', { route: '/photos/:id', le }));
    }
    const depths = samples(page, 'queue_depth');
    expect(
      depths.map((s) => [s.labels.instance, s.value]).sort(),
      'a gauge is a level, not a count: the aggregator keeps one series per server, labelled instance="<url>"',
    ).toEqual(targets.map((url, i) => [url, [5, 7, 9][i]]).sort());
    expect(
      samples(page, 'up')
        .map((s) => [s.labels.instance, s.value])
        .sort(),
      'up{instance="<url>"} is 1 for every server that answered its scrape (read NaN and Inf in any case: prom-client writes `Nan`)',
    ).toEqual(targets.map((url) => [url, 1]).sort());

    await workload.servers[1]?.kill();
    const later = await request(`${aggregator.url}/metrics`);
    const afterKill = metricsOf(later, 'the aggregator with one server down');
    expect(
      samples(afterKill, 'up', { instance: targets[1] as string }).map((s) => s.value),
      'a server that does not answer is up 0; the aggregator still answers with the others',
    ).toEqual([0]);
    const summary = (await request(`${aggregator.url}/summary`)).json<Summary>();
    expect([summary.servers, summary.up], '/summary counts the servers and those up').toEqual([3, 2]);
    expectJsonError(
      await request(`${aggregator.url}/nothing-here`),
      404,
      'an unknown path on the aggregator',
    );
  });

  it('does not wait forever for a server that hangs: after its timeout it is down', async () => {
    const workload = await startWorkloadServers(SHAPES.slice(0, 1));
    const hanging = await serve(http.createServer(() => {})); // accepts, never answers
    const targets = [workload.servers[0]?.url as string, hanging.url];
    const aggregator = await serve(createAggregator({ targets, timeoutMs: 300 }));
    const reply = await within(
      request(`${aggregator.url}/summary`),
      5000,
      'GET /summary waited on a server that never answers: give every scrape a timeout (timeoutMs)',
    );
    const summary = reply.json<Summary>();
    expect([summary.servers, summary.up], 'two servers, one up').toEqual([2, 1]);
    expect(summary.requests, 'the server that answered still counts').toBe(4000);
  });

  it('reports the real tier: cache hit ratio, sign-ups, uploads and latency across all web servers', async () => {
    const system = await startSystem({ servers: 3, metrics: true });
    const aggregator = await system.aggregator();
    const empty = (await request(`${aggregator.url}/summary`)).json<Summary>();
    expect(
      [empty.requests, empty.errorRate, empty.latency, empty.cacheHitRatio],
      'before any traffic: 0 requests, errorRate 0, and null for what cannot be computed yet (latency, cacheHitRatio)',
    ).toEqual([0, 0, { p50: null, p95: null, p99: null }, null]);

    let slowest = 0;
    const send = async (path: string, options: Parameters<typeof system.send>[1] = {}) => {
      const started = performance.now();
      const reply = await system.send(path, options);
      slowest = Math.max(slowest, (performance.now() - started) / 1000);
      return reply;
    };
    for (let i = 0; i < 3; i++)
      expectStatus(await send('/users', { body: { name: `n${i}` } }), 201, 'sign-up');
    expectStatus(await send('/photos', { body: { owner: 'ana', title: 'x' } }), 202, 'upload');
    for (let i = 0; i < 10; i++) expectStatus(await send('/photos/1'), 200, 'GET /photos/1');
    expectStatus(await send('/users', { body: { name: 'not a name!' } }), 400, 'a bad sign-up');
    const summary = (await request(`${aggregator.url}/summary`)).json<Summary>();
    expect(
      summary.signups,
      'three sign-ups went to three different servers: the tier’s total is 3 (every server must be scraped and added)',
    ).toBe(3);
    expect(summary.uploads, 'one upload').toBe(1);
    expect(
      summary.cacheHitRatio,
      'ten reads of one photo, one miss and nine hits across the servers: the tier’s hit ratio is 0.9',
    ).toBeCloseTo(0.9, 6);
    expect(
      summary.requests,
      'the tier answered 15 requests; the aggregator scraped every /metrics twice, and scrapes are not traffic: do not count /metrics in http_requests_total',
    ).toBe(15);
    expect(
      summary.errors,
      'a 400 is the client’s mistake, not an error of the service: errors are 5xx only',
    ).toBe(0);
    const page = metricsOf(await request(`${system.webs[0]?.url}/metrics`), 'web-1');
    const bounds = summedBuckets([page], 'http_request_duration_seconds').map((b) => b.le);
    const ceiling = bounds.find((le) => le >= slowest) ?? Number.POSITIVE_INFINITY;
    const p99 = summary.latency.p99;
    expect(
      typeof p99 === 'number' && p99 > 0 && p99 <= ceiling,
      `p99 of the real tier is ${p99}; the slowest of these requests took ${slowest.toFixed(4)} s as the client saw it, so p99 is above 0 and at most ${ceiling} s (the first bucket bound above that): latencies are observed in seconds`,
    ).toBe(true);
  });
});
