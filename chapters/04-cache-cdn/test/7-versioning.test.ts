/**
 * Task 7 — object versioning and CDN outage. Asset URLs carry a hash of their content, so a new deploy
 * needs no purge: its URLs are new. When the CDN is down, pages point at the origin instead.
 */

import { describe, expect, it } from 'vitest';
import { expectStatus } from '#kit/expect';
import { request, serve } from '#kit/http';
import { createEdge } from '../src/edge.js';
import { createOrigin } from '../src/origin.js';

const V1 = { 'app.js': 'console.log("v1")', 'style.css': 'body { color: black }' };
const V2 = { 'app.js': 'console.log("v2")', 'style.css': 'body { color: black }' };

async function startSite() {
  const origin = createOrigin({ assets: V1 });
  const originServer = await serve(origin.server);
  const edge = await serve(createEdge({ origin: originServer.url }));
  origin.useCdn(edge.url);
  const assetUrls = async () => {
    const page = await request(`${originServer.url}/`);
    expectStatus(page, 200, 'GET / on the origin');
    return [...page.text.matchAll(/(?:src|href)=["']([^"']*\/assets\/[^"']+)["']/g)].map((m) =>
      new URL(m[1] as string, originServer.url).toString(),
    );
  };
  return { origin, originServer, edge, assetUrls };
}

describe('Versioned assets and CDN outage', () => {
  it('names every asset by its content, so a deploy is fetched at once without a purge', async () => {
    const { origin, originServer, edge, assetUrls } = await startSite();
    const before = await assetUrls();
    expect(before.length, 'the page references app.js and style.css').toBe(2);
    for (const url of before) {
      expect(url.startsWith(edge.url), `${url}: with the CDN up, assets load from the CDN`).toBe(true);
      expect(url, 'the file name carries a hash of the content, e.g. app.3f2a1b9c.js').toMatch(
        /\.[0-9a-f]{8,}\.(js|css)$/,
      );
      await request(url);
    }
    const app1 = before.find((u) => u.endsWith('.js')) as string;
    expect((await request(app1)).headers['x-cache'], 'the CDN now serves v1 from its copy').toBe('HIT');

    origin.deploy(V2);
    const after = await assetUrls();
    const app2 = after.find((u) => u.endsWith('.js')) as string;
    expect(app2, 'app.js changed: its URL must change too').not.toBe(app1);
    expect(
      after.find((u) => u.endsWith('.css')),
      'style.css did not change: its URL stays (and its copy stays useful)',
    ).toBe(before.find((u) => u.endsWith('.css')));
    const fresh = await request(app2);
    expectStatus(fresh, 200, `GET ${app2} through the CDN`);
    expect(fresh.text, 'the new URL brings the new code at once, with no purge').toBe('console.log("v2")');
    const old = await request(app1.replace(edge.url, originServer.url));
    expectStatus(old, 200, 'the origin still serves v1 of app.js: pages loaded before the deploy still work');
    expect(old.headers['cache-control'], 'a versioned file never changes: let caches keep it long').toMatch(
      /max-age=\d{6,}/,
    );
  });

  it('points pages at the origin while the CDN is down, and the assets still load', async () => {
    const { originServer, edge, assetUrls } = await startSite();
    await edge.kill();
    const urls = await assetUrls();
    expect(urls.length).toBe(2);
    for (const url of urls) {
      expect(
        url.startsWith(originServer.url),
        `${url}: the CDN is down, so the page must use the origin’s own URL`,
      ).toBe(true);
      expectStatus(await request(url), 200, `GET ${url} from the origin`);
    }
  });
});
