/**
 * A CDN edge server: it keeps copies of the origin's static files and serves them without asking the
 * origin again until they expire (the origin's Cache-Control max-age), and it can be told to forget one.
 *   GET /path      a HIT from the edge's copy, or a MISS fetched from the origin (X-Cache, Age)
 *   PURGE /path    removes the copy at once
 *   GET /_health   200 while the edge runs
 */
import http from 'node:http';

export interface EdgeOptions {
  /** The origin server, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** The clock, in milliseconds. Tests pass a fake one to let time pass at once. */
  now?: () => number;
}

interface Copy {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
  storedAt: number;
  maxAgeSeconds: number;
}

export function createEdge({ origin, now = Date.now }: EdgeOptions): http.Server {
  const copies = new Map<string, Copy>();

  return http.createServer(async (req, res) => {
    const path = req.url ?? '/';
    if (path === '/_health') return json(res, 200, { healthy: true });
    if (req.method === 'PURGE') {
      return copies.delete(path)
        ? json(res, 200, { purged: path })
        : json(res, 404, { error: `nothing cached at ${path}` });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(res, 405, { error: `${req.method} is not served here` });

    const copy = copies.get(path);
    const age = copy ? Math.floor((now() - copy.storedAt) / 1000) : 0;
    if (copy && age < copy.maxAgeSeconds) {
      res.writeHead(copy.status, { ...copy.headers, 'x-cache': 'HIT', age: String(age) });
      return res.end(req.method === 'HEAD' ? undefined : copy.body);
    }
    copies.delete(path);
    let fetched: Awaited<ReturnType<typeof fetchOrigin>>;
    try {
      fetched = await fetchOrigin(new URL(path, origin));
    } catch (error) {
      return json(res, 502, { error: `origin unreachable: ${(error as Error).message}` });
    }
    const maxAgeSeconds = cacheableFor(fetched.status, fetched.headers['cache-control']);
    if (maxAgeSeconds > 0) copies.set(path, { ...fetched, storedAt: now(), maxAgeSeconds });
    res.writeHead(fetched.status, { ...fetched.headers, 'x-cache': 'MISS', age: '0' });
    res.end(req.method === 'HEAD' ? undefined : fetched.body);
  });
}

/** Seconds a response may be kept at a shared cache; 0 when it must not be. */
export function cacheableFor(status: number, cacheControl: string | undefined): number {
  if (status !== 200 || !cacheControl) return 0;
  const directives = cacheControl
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'private' || d === 'no-cache')) return 0;
  const shared = directives.find((d) => d.startsWith('s-maxage='));
  const own = directives.find((d) => d.startsWith('max-age='));
  const seconds = Number((shared ?? own ?? '').split('=')[1]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'date'];

function fetchOrigin(url: URL): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const headers: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined && !HOP_BY_HOP.includes(name)) headers[name] = value;
        }
        resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('timeout', () => req.destroy(new Error('origin timed out')));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
