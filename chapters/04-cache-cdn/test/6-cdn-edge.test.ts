/**
 * Task 6 — the CDN edge. Static files are served from a server close to the user; only a miss goes to
 * the origin. The origin's Cache-Control max-age says how long a copy may be served.
 * The edge takes a clock (`now`) so that these tests can let a minute pass at once.
 */

import { describe, expect, it } from 'vitest';
import { expectJsonError, expectStatus } from '#kit/expect';
import { request, serve } from '#kit/http';
import { step } from '#kit/wait';
import { createEdge } from '../src/edge.js';
import { staticOrigin } from './fixtures.js';

async function startEdge() {
  const origin = await staticOrigin();
  const clock = { now: 1_000_000 };
  const edge = await serve(createEdge({ origin: origin.url, now: () => clock.now }));
  const send = (path: string, method = 'GET') =>
    step(`${method} ${path} on the edge answers`, request(edge.url + path, { method }));
  return {
    origin,
    edge,
    clock,
    get: (path: string) => send(path),
    purge: (path: string) => send(path, 'PURGE'),
  };
}

describe('CDN edge', () => {
  it('fetches a file from the origin once (MISS), then serves its copy (HIT) without the origin', async () => {
    const { origin, get } = await startEdge();
    const first = await get('/assets/logo.svg');
    expectStatus(first, 200, 'GET /assets/logo.svg through the edge');
    expect(first.headers['x-cache'], 'the first request is a MISS: the edge had no copy').toBe('MISS');
    expect(first.headers.age, 'a MISS is fresh from the origin: Age: 0').toBe('0');
    expect(first.text).toBe('<svg>logo</svg>');
    expect(first.headers['x-origin'], 'a MISS returns the origin’s answer as it is, headers included').toBe(
      'yes',
    );
    const second = await get('/assets/logo.svg');
    expect(second.headers['x-cache'], 'the second request is a HIT: served from the edge’s copy').toBe('HIT');
    expect(second.text, 'the copy has the origin’s body').toBe('<svg>logo</svg>');
    expect(second.headers['x-origin'], 'and the origin’s headers').toBe('yes');
    expect(origin.hits('/assets/logo.svg'), 'the origin was asked once, for the MISS only').toBe(1);
  });

  it('tells each copy’s Age, and fetches it again once its age reaches max-age', async () => {
    const { origin, get, clock } = await startEdge();
    await get('/assets/logo.svg');
    clock.now += 30_000;
    const aged = await get('/assets/logo.svg');
    expect(aged.headers['x-cache'], 'after 30 s of max-age=60 the copy is still fresh').toBe('HIT');
    expect(aged.headers.age, 'Age: seconds since the edge fetched its copy (30)').toBe('30');
    clock.now += 30_000;
    const expired = await get('/assets/logo.svg');
    expect(
      expired.headers['x-cache'],
      'the origin said max-age=60 and 60 s have passed: the copy has expired (a copy is fresh only while its age is below max-age)',
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
    for (const [path, status] of [
      ['/assets/broken.svg', 500],
      ['/assets/gone.svg', 404],
    ] as const) {
      const first = await get(path);
      expectStatus(first, status, `${path} through the edge: the origin's answer, as it is`);
      const again = await get(path);
      expect(
        `${again.status} ${again.headers['x-cache']}`,
        `${path}: the origin answered ${status} with max-age=60. Only a 200 is kept: a copy of an error would ` +
          'serve the error to every user for a minute after the origin has recovered',
      ).toBe(`${status} MISS`);
    }
  });

  it('takes s-maxage as the lifetime for a shared cache, longer or shorter than max-age', async () => {
    const { get, clock } = await startEdge();
    await get('/assets/shared.svg');
    await get('/assets/short.svg');
    expect(
      (await get('/assets/shared.svg')).headers['x-cache'],
      's-maxage=60 is the lifetime for shared caches such as a CDN, even with max-age=0',
    ).toBe('HIT');
    clock.now += 10_000;
    expect(
      (await get('/assets/short.svg')).headers['x-cache'],
      'max-age=600, s-maxage=5: after 10 s the edge’s copy has expired. s-maxage wins for a shared cache, ' +
        'whether it is longer or shorter than max-age',
    ).toBe('MISS');
  });

  it('keys its copies by path and query string: ?v=2 is another file than ?v=1', async () => {
    const { origin, get, purge } = await startEdge();
    expect((await get('/assets/app.js?v=1')).text).toBe('app version 1');
    expect((await get('/assets/app.js?v=1')).headers['x-cache'], 'the same URL again is a HIT').toBe('HIT');
    const v2 = await get('/assets/app.js?v=2');
    expect(
      `${v2.headers['x-cache']} ${v2.text}`,
      '/assets/app.js?v=2 was answered with the copy of ?v=1: the copy’s key is the path with its query ' +
        'string (object versioning by query string, app.js?v=2, relies on it)',
    ).toBe('MISS app version 2');
    expect(origin.hits('/assets/app.js?v=2'), 'the edge asks the origin for ?v=2 itself').toBe(1);
    expectStatus(await purge('/assets/app.js?v=1'), 200, 'PURGE /assets/app.js?v=1');
    expect(
      (await get('/assets/app.js?v=2')).headers['x-cache'],
      'a PURGE of ?v=1 removes that copy only: ?v=2 is still a HIT',
    ).toBe('HIT');
    expect((await get('/assets/app.js?v=1')).headers['x-cache'], 'and ?v=1 is a MISS again').toBe('MISS');
  });

  it('forgets a file on PURGE, before it expires', async () => {
    const { origin, get, purge } = await startEdge();
    await get('/assets/banner.svg');
    expectStatus(await purge('/assets/banner.svg'), 200, 'PURGE /assets/banner.svg (a cached file)');
    const after = await get('/assets/banner.svg');
    expect(after.headers['x-cache'], 'after a purge the next request is a MISS').toBe('MISS');
    expect(origin.hits('/assets/banner.svg')).toBe(2);
    expectJsonError(await purge('/assets/never-fetched.svg'), 404, 'PURGE of a path the edge has no copy of');
  });

  it('answers 502 JSON when the origin is down, and keeps serving the copies it has', async () => {
    const { origin, get, edge } = await startEdge();
    await get('/assets/logo.svg');
    await origin.kill();
    const copy = await get('/assets/logo.svg');
    expect(`${copy.status} ${copy.headers['x-cache']}`, 'a fresh copy needs no origin').toBe('200 HIT');
    expectJsonError(await get('/assets/banner.svg'), 502, 'a MISS while the origin is down');
    expectStatus(
      await step('GET /_health on the edge', request(`${edge.url}/_health`)),
      200,
      'GET /_health on the edge',
    );
  });
});
