/**
 * Task 2 — metrics. Each web server counts what it does and shows it on `/metrics` in the Prometheus text
 * format: host-level metrics (CPU, memory, event-loop lag), its own traffic, the tiers it talks to
 * (database query latency, cache hits and misses), and what the business cares about (sign-ups, uploads,
 * daily active users).
 */
import { describe, expect, it } from 'vitest';
import { expectStatus } from '#kit/expect';
import { request } from '#kit/http';
import { metricsOf, type Page, samples, total } from './prom-text.js';
import { startSystem } from './system.js';

/**
 * Four sign-ups by three users, a bad sign-up, two uploads and ten reads of one photo, through the
 * balancer; then every web server's page.
 */
async function trafficAndPages() {
  const system = await startSystem({ metrics: true });
  const served = new Map<string, number>(); // web server → sign-ups it answered with 201
  let waited = 0; // seconds the client waited for all its requests
  const send = async (path: string, options: Parameters<typeof system.send>[1] = {}) => {
    const started = performance.now();
    const reply = await system.send(path, options);
    waited += (performance.now() - started) / 1000;
    return reply;
  };
  for (const [i, user] of ['u1', 'u2', 'u3', 'u1'].entries()) {
    const reply = await send('/users', { body: { name: `name${i}` }, headers: { 'x-user-id': user } });
    expectStatus(reply, 201, 'POST /users (a sign-up)');
    const by = String(reply.headers['x-served-by']);
    served.set(by, (served.get(by) ?? 0) + 1);
  }
  expectStatus(await send('/users', { body: { name: 'no spaces allowed' } }), 400, 'a bad sign-up');
  for (const title of ['a', 'b']) {
    const reply = await send('/photos', {
      body: { owner: 'ana', title },
      headers: { 'x-user-id': 'u2' },
    });
    expectStatus(reply, 202, 'POST /photos (an upload)');
  }
  for (let i = 0; i < 10; i++) expectStatus(await send('/photos/1'), 200, 'GET /photos/1');
  const pages: { id: string; page: Page }[] = [];
  for (const web of system.webs)
    pages.push({ id: web.id, page: metricsOf(await request(`${web.url}/metrics`), web.id) });
  return { served, pages, waited };
}

describe('Metrics on /metrics', () => {
  it('shows host-level metrics and the requests each server answered, by route pattern', async () => {
    const { served, pages, waited } = await trafficAndPages();
    for (const { id, page } of pages) {
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_seconds',
      ]) {
        expect(
          samples(page, name).length,
          `${id}: host-level metric ${name} is missing (prom-client's default metrics give it)`,
        ).toBeGreaterThan(0);
      }
      expect(
        total(page, 'http_requests_total', { method: 'POST', route: '/users', status: '201' }),
        `${id} answered ${served.get(id) ?? 0} sign-ups with 201: http_requests_total{method="POST",route="/users",status="201"} counts them`,
      ).toBe(served.get(id) ?? 0);
      expect(
        page.samples.filter((s) => s.name === 'http_requests_total' && s.labels.route === '/photos/1'),
        `${id}: the route label is the route's pattern (/photos/:id), never the raw path: one series per photo id would never end`,
      ).toEqual([]);
      expect(
        samples(page, 'http_request_duration_seconds_bucket').length,
        `${id}: http_request_duration_seconds is a histogram with buckets`,
      ).toBeGreaterThan(1);
      expect(
        total(page, 'http_request_duration_seconds_bucket', { le: '+Inf' }),
        `${id}: the +Inf bucket of the latency histogram holds every observation (= _count)`,
      ).toBe(total(page, 'http_request_duration_seconds_count'));
    }
    const sum = pages.reduce(
      (n, { page }) => n + total(page, 'http_requests_total', { route: '/photos/:id' }),
      0,
    );
    expect(sum, 'the ten reads are counted under route="/photos/:id", over the servers').toBe(10);
    const observed = pages.reduce((n, { page }) => n + total(page, 'http_request_duration_seconds_sum'), 0);
    expect(
      observed > 0 && observed <= waited,
      `http_request_duration_seconds_sum over the servers is ${observed}: the servers' time for these 17 requests is above 0 and cannot exceed the ${waited.toFixed(3)} s the client waited for them. The metric is in seconds, as its name says (a duration in milliseconds must be divided by 1000)`,
    ).toBe(true);
  });

  it('shows the database, the cache and the business: sign-ups, uploads, daily active users', async () => {
    const { pages } = await trafficAndPages();
    for (const { id, page } of pages) {
      expect(
        total(page, 'daily_active_users'),
        `${id}: three distinct users (u1, u2, u3) were active today across the tier; every server must report 3 — keep the set of today's users in the shared store, not in one process`,
      ).toBe(3);
    }
    const sum = (name: string, labels: Record<string, string> = {}) =>
      pages.reduce((n, { page }) => n + total(page, name, labels), 0);
    expect(sum('signups_total'), 'four sign-ups succeeded (the bad one is not a sign-up)').toBe(4);
    expect(sum('uploads_total'), 'two photos were uploaded').toBe(2);
    expect(
      sum('cache_requests_total', { result: 'miss' }),
      'ten reads of one photo: the first is a cache miss (cache_requests_total{result="miss"})',
    ).toBe(1);
    expect(
      sum('cache_requests_total', { result: 'hit' }),
      'and the other nine are hits, whichever server answered (the cache is shared)',
    ).toBe(9);
    expect(
      sum('db_query_duration_seconds_count'),
      'every database query is timed in db_query_duration_seconds: at least the 4 sign-ups, 2 uploads and 1 read',
    ).toBeGreaterThanOrEqual(7);
  });
});
