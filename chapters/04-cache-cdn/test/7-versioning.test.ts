/**
 * Task 7 — object versioning and CDN fallback. Asset URLs carry a hash of their content, so a new deploy
 * needs no purge: its URLs are new. When the CDN is down, pages point at the origin instead.
 */

import { describe, expect, it } from 'vitest';
import { expectStatus } from '#kit/expect';
import { type Reply, request, serve } from '#kit/http';
import { step, until, within } from '#kit/wait';
import { createEdge } from '../src/edge.js';
import { createOrigin } from '../src/origin.js';
import { fakeCdn } from './fixtures.js';

const V1 = { 'app.js': 'console.log("v1")', 'style.css': 'body { color: black }' };
const V2 = { 'app.js': 'console.log("v2")', 'style.css': 'body { color: black }' };

/** The asset URLs a page references in `src` and `href`, made absolute against `base`. */
function assetsIn(page: Reply, base: string): string[] {
  return [...page.text.matchAll(/(?:src|href)=["']([^"']*\/assets\/[^"']+)["']/g)].map((m) =>
    new URL((m[1] as string).replaceAll('&amp;', '&'), base).toString(),
  );
}

/** The URL of the asset whose path ends with `.js` or `.css`. */
function assetOf(urls: string[], extension: 'js' | 'css'): string {
  const url = urls.find((u) => new URL(u).pathname.endsWith(`.${extension}`));
  expect(url, `the page references a .${extension} file under /assets/: ${urls.join(', ')}`).toBeDefined();
  return url as string;
}

/** A hash of at least 8 hex digits in the file name (app.3f2a1b9c.js) or the query (app.js?v=3f2a1b9c). */
const VERSIONED = /(\.[0-9a-f]{8,}\.(js|css)$)|(\.(js|css)\?[\w-]+=[0-9a-f]{8,}$)/;

async function startSite() {
  const origin = createOrigin({ assets: V1 });
  const originServer = await serve(origin.server);
  const edge = await serve(createEdge({ origin: originServer.url }));
  origin.useCdn(edge.url);
  const page = async (via = originServer.url) => {
    const reply = await step(
      `GET / on ${via === originServer.url ? 'the origin' : 'the CDN'}`,
      request(`${via}/`),
    );
    expectStatus(reply, 200, 'GET / on the origin');
    return reply;
  };
  const assetUrls = async () => assetsIn(await page(), originServer.url);
  const fetch = (url: string) => step(`GET ${url}`, request(url));
  return { origin, originServer, edge, page, assetUrls, fetch };
}

describe('Versioned assets and CDN fallback', () => {
  it('names every asset by its content, so a deploy is fetched at once without a purge', async () => {
    const { origin, originServer, edge, assetUrls, fetch } = await startSite();
    const before = await assetUrls();
    expect(before.length, 'the page references app.js and style.css').toBe(2);
    for (const url of before) {
      expect(url.startsWith(edge.url), `${url}: with the CDN up, assets load from the CDN`).toBe(true);
      expect(
        url,
        'the URL carries a hash of the content: app.3f2a1b9c.js, or app.js?v=3f2a1b9c as in the book',
      ).toMatch(VERSIONED);
      await fetch(url);
    }
    const app1 = assetOf(before, 'js');
    expect((await fetch(app1)).headers['x-cache'], 'the CDN now serves v1 from its copy').toBe('HIT');

    origin.deploy(V2);
    const after = await assetUrls();
    const app2 = assetOf(after, 'js');
    expect(app2, 'app.js changed: its URL must change too').not.toBe(app1);
    expect(assetOf(after, 'css'), 'style.css did not change: its URL stays (and its copy stays useful)').toBe(
      assetOf(before, 'css'),
    );
    const fresh = await fetch(app2);
    expectStatus(fresh, 200, `GET ${app2} through the CDN`);
    expect(fresh.text, 'the new URL brings the new code at once, with no purge').toBe('console.log("v2")');
    const old = await fetch(app1.replace(edge.url, originServer.url));
    expectStatus(old, 200, 'the origin still serves v1 of app.js: pages loaded before the deploy still work');
    expect(
      old.text,
      'the URL of v1 must still bring v1: a page loaded before the deploy would run the new app.js with its old ' +
        'page, and a CDN would keep the new content under the old URL',
    ).toBe('console.log("v1")');
    const maxAge = Number(/max-age=(\d+)/.exec(String(old.headers['cache-control']))?.[1] ?? 0);
    expect(
      maxAge,
      `Cache-Control: ${old.headers['cache-control'] ?? 'none'}. A versioned file never changes: let caches keep it long (max-age of a day at least, a year is usual)`,
    ).toBeGreaterThanOrEqual(86_400);

    origin.deploy(V1);
    expect(
      assetOf(await assetUrls(), 'js'),
      'app.js is back to its first content: its URL is the first one again. The URL names the content (a hash ' +
        'of it), not the deploy or a counter: every origin server computes the same URL for the same file',
    ).toBe(app1);
  });

  it('serves the page so that no CDN keeps it: after a deploy, the page through the CDN names the new files', async () => {
    const { origin, edge, page } = await startSite();
    const viaCdn = async () => assetOf(assetsIn(await page(edge.url), edge.url), 'js');
    const before = await viaCdn();
    origin.deploy(V2);
    const after = await viaCdn();
    const cacheControl = (await page()).headers['cache-control'];
    expect(
      after,
      `the page fetched through the CDN after a deploy still names the old app.js (the page says ` +
        `Cache-Control: ${cacheControl ?? 'nothing'}): the assets may be kept for a year, but the page that ` +
        'names them must not be kept by a shared cache: Cache-Control: no-cache',
    ).not.toBe(before);
  });

  it('points pages at the origin while the CDN is down, and the assets still load', async () => {
    const { originServer, edge, assetUrls, fetch } = await startSite();
    await edge.kill();
    const urls = await assetUrls();
    expect(urls.length).toBe(2);
    for (const url of urls) {
      expect(
        url.startsWith(originServer.url),
        `${url}: the CDN is down, so the page must use the origin’s own URL`,
      ).toBe(true);
      expectStatus(await fetch(url), 200, `GET ${url} from the origin`);
    }
  });

  it('asks the CDN’s health on the way: a sick or hanging CDN sends pages to the origin, and a healthy one back', async () => {
    const origin = createOrigin({ assets: V1 });
    const originServer = await serve(origin.server);
    const cdn = await fakeCdn();
    origin.useCdn(cdn.url);
    let seen = '';
    const pointsAt = (base: string, what: string) =>
      until(
        async () => {
          const page = await within(
            request(`${originServer.url}/`),
            2000,
            `GET / did not answer within 2 s while the CDN was ${what}: check the CDN’s health with a short timeout, ` +
              'and answer the page either way',
          );
          seen = assetOf(assetsIn(page, originServer.url), 'js');
          return seen.startsWith(base);
        },
        3000,
        () => `the CDN is ${what}, but the page still names ${seen}: expected ${base}/assets/…`,
      );
    await pointsAt(cdn.url, 'healthy');
    cdn.set('sick');
    await pointsAt(originServer.url, 'answering /_health with 503 (only a 200 is healthy)');
    cdn.set('healthy');
    await pointsAt(cdn.url, 'healthy again (notice it within a second or so)');
    cdn.set('hanging');
    await pointsAt(originServer.url, 'accepting connections and never answering (a short timeout is down)');
  });
});
