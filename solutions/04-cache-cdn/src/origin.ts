/**
 * The origin web server of the static files. Its pages name each asset by a hash of its content
 * (`app.3f2a1b9c.js`), so a new deploy gets new URLs and no CDN copy can be stale; and when the CDN does
 * not answer, pages point at the origin itself instead.
 *   GET /                      the page, with asset URLs on the CDN (or on the origin when the CDN is down)
 *   GET /assets/<versioned>    an asset of this or an earlier deploy, cacheable for a year
 */
import { createHash } from 'node:crypto';
import http from 'node:http';

export interface OriginOptions {
  /** The files of the first deploy: name → content, e.g. `{ 'app.js': '…', 'style.css': '…' }`. */
  assets: Record<string, string>;
  /** How long the origin waits for the CDN's health check. Default 200 ms. */
  cdnTimeoutMs?: number;
}

export interface Origin {
  server: http.Server;
  /** Puts a new version of the files live. */
  deploy(assets: Record<string, string>): void;
  /** Which CDN the pages point at, e.g. `http://127.0.0.1:41235`; undefined: the origin's own URLs. */
  useCdn(url: string | undefined): void;
}

/** `app.js` with its content → `app.<first 8 hex of sha-256>.js`. */
export function versionedName(name: string, content: string): string {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 8);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}.${hash}${name.slice(dot)}` : `${name}.${hash}`;
}

const TYPES: Record<string, string> = { js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml' };

export function createOrigin({ assets, cdnTimeoutMs = 200 }: OriginOptions): Origin {
  let cdnUrl: string | undefined;
  /** Every version ever deployed stays fetchable: pages cached before a deploy still work. */
  const files = new Map<string, string>();
  let current: string[] = [];
  const deploy = (next: Record<string, string>) => {
    current = Object.entries(next).map(([name, content]) => {
      const versioned = versionedName(name, content);
      files.set(versioned, content);
      return versioned;
    });
  };
  deploy(assets);

  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://origin').pathname;
    if (path === '/') {
      const base = cdnUrl && (await healthy(cdnUrl, cdnTimeoutMs)) ? cdnUrl : `http://${req.headers.host}`;
      const tags = current.map((name) =>
        name.endsWith('.css')
          ? `<link rel="stylesheet" href="${base}/assets/${name}">`
          : `<script src="${base}/assets/${name}"></script>`,
      );
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      return res.end(`<!doctype html><html><head>${tags.join('')}</head><body><h1>Photos</h1></body></html>`);
    }
    const name = path.startsWith('/assets/') ? path.slice('/assets/'.length) : '';
    const content = files.get(name);
    if (content === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: `no asset ${path}` }));
    }
    res.writeHead(200, {
      'content-type': TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    res.end(content);
  });
  return {
    server,
    deploy,
    useCdn(url) {
      cdnUrl = url;
    },
  };
}

function healthy(base: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${base}/_health`, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
