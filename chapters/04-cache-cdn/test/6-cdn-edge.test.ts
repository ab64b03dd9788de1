/**
 * Task 6 — the CDN edge. Static files are served from a server close to the user; only a miss goes to
 * the origin. The origin's Cache-Control max-age says how long a copy may be served.
 * The edge takes a clock (`now`) so that these tests can let a minute pass at once.
 */

import { describe, expect, it } from 'vitest';
import { expectJsonError, expectStatus } from '#kit/expect';
import { request, serve } from '#kit/http';
import { createEdge } from '../src/edge.js';
import { staticOrigin } from './fixtures.js';

async function startEdge() {
  const origin = await staticOrigin();
  const clock = { now: 1_000_000 };
  const edge = await serve(createEdge({ origin: origin.url, now: () => clock.now }));
  return { origin, edge, clock, get: (path: string) => request(edge.url + path) };
}

describe('CDN edge', () => {
  it('fetches a file from the origin once (MISS), then serves its copy (HIT) without the origin', async () => {
    const { origin, get } = await startEdge();
    const first = await get('/assets/logo.svg');
    expectStatus(first, 200, 'GET /assets/logo.svg through the edge');
    expect(first.headers['x-cache'], 'the first request is a MISS: the edge had no copy').toBe('MISS');
    expect(first.text).toBe('<svg>logo</svg>');
    const second = await get('/assets/logo.svg');
    expect(second.headers['x-cache'], 'the second request is a HIT: served from the edge’s copy').toBe('HIT');
    expect(second.text, 'the copy has the origin’s body').toBe('<svg>logo</svg>');
    expect(second.headers['x-origin'], 'and the origin’s headers').toBe('yes');
    expect(origin.hits('/assets/logo.svg'), 'the origin was asked once, for the MISS only').toBe(1);
  });

  it('tells each copy’s Age, and fetches it again when max-age has passed', async () => {
    const { origin, get, clock } = await startEdge();
    await get('/assets/logo.svg');
    clock.now += 30_000;
    const aged = await get('/assets/logo.svg');
    expect(aged.headers['x-cache'], 'after 30 s of max-age=60 the copy is still fresh').toBe('HIT');
    expect(aged.headers.age, 'Age: seconds since the edge fetched its copy (30)').toBe('30');
    clock.now += 31_000;
    const expired = await get('/assets/logo.svg');
    expect(
      expired.headers['x-cache'],
      'the origin said max-age=60 and 61 s have passed: the copy has expired',
    ).toBe('MISS');
    expect(origin.hits('/assets/logo.svg'), 'an expired copy is fetched again').toBe(2);
  });

  it('keeps no copy of what the origin does not allow to be cached', async () => {
    const { origin, get } = await startEdge();
    for (const path of [
      '/assets/live.json',
      '/assets/mine.json',
      '/assets/check.json',
      '/assets/plain.txt',
    ]) {
      await get(path);
      const again = await get(path);
      expect(
        again.headers['x-cache'],
        `${path}: no-store, private, no-cache or no max-age at all means no shared copy`,
      ).toBe('MISS');
      expect(origin.hits(path), `${path}: fetched from the origin every time`).toBe(2);
    }
    await get('/assets/shared.svg');
    expect(
      (await get('/assets/shared.svg')).headers['x-cache'],
      's-maxage=60 is the lifetime for shared caches such as a CDN, even with max-age=0',
    ).toBe('HIT');
  });

  it('forgets a file on PURGE, before it expires', async () => {
    const { origin, edge, get } = await startEdge();
    await get('/assets/banner.svg');
    const purged = await request(`${edge.url}/assets/banner.svg`, { method: 'PURGE' });
    expectStatus(purged, 200, 'PURGE /assets/banner.svg (a cached file)');
    const after = await get('/assets/banner.svg');
    expect(after.headers['x-cache'], 'after a purge the next request is a MISS').toBe('MISS');
    expect(origin.hits('/assets/banner.svg')).toBe(2);
    expectJsonError(
      await request(`${edge.url}/assets/never-fetched.svg`, { method: 'PURGE' }),
      404,
      'PURGE of a path the edge has no copy of',
    );
  });

  it('answers 502 JSON when the origin is down, and keeps serving the copies it has', async () => {
    const { origin, get, edge } = await startEdge();
    await get('/assets/logo.svg');
    await origin.kill();
    const copy = await get('/assets/logo.svg');
    expect(`${copy.status} ${copy.headers['x-cache']}`, 'a fresh copy needs no origin').toBe('200 HIT');
    expectJsonError(await get('/assets/banner.svg'), 502, 'a MISS while the origin is down');
    expectStatus(await request(`${edge.url}/_health`), 200, 'GET /_health on the edge');
  });
});
