/** The database behind the cache, ways to watch it, and seeded workloads. */
import http from 'node:http';
import { createDatabase, type DatabaseNode, readsOf } from '#kit/db';
import { serve } from '#kit/http';
import { seededRandom } from '#kit/random';

/** A database with `photos (id, owner, title)` holding photos 1..count. */
export async function photoDatabase(count: number): Promise<DatabaseNode> {
  const db = await createDatabase();
  await db.pool.query(
    'CREATE TABLE photos (id integer PRIMARY KEY, owner text NOT NULL, title text NOT NULL)',
  );
  for (let start = 1; start <= count; start += 500) {
    const ids = Array.from({ length: Math.min(500, count - start + 1) }, (_, i) => start + i);
    await db.pool.query(
      `INSERT INTO photos (id, owner, title) VALUES ${ids.map((id) => `(${id}, 'user${id % 50}', 'photo ${id}')`).join(', ')}`,
    );
  }
  return db;
}

/** How many times the database was asked for photos so far. */
export function photoReads(db: DatabaseNode): number {
  return readsOf(db, 'photos');
}

/** The title of a photo as the database has it (undefined: no such photo). */
export async function titleIn(db: DatabaseNode, id: number): Promise<string | undefined> {
  const result = await db.pool.query<{ title: string }>('SELECT title FROM photos WHERE id = $1', [id]);
  return result.rows[0]?.title;
}

/** `count` draws from a Zipf distribution over 1..n with exponent s: a few items are wanted very often. */
export function zipf(n: number, s: number, count: number, seed: number): number[] {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w / total;
    cumulative.push(sum);
  }
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const r = random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < r) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  });
}

/**
 * A static-file origin for the edge tests; it counts the requests it gets per path and query.
 * `/assets/app.js?v=…` answers with the version it was asked for: a versioned URL in the book's style.
 */
export async function staticOrigin() {
  const hits = new Map<string, number>();
  const files: Record<string, { body: string; cacheControl?: string; status?: number }> = {
    '/assets/logo.svg': { body: '<svg>logo</svg>', cacheControl: 'public, max-age=60' },
    '/assets/banner.svg': { body: '<svg>banner</svg>', cacheControl: 'public, max-age=60' },
    '/assets/live.json': { body: '{"visitors":3}', cacheControl: 'no-store, max-age=60' },
    '/assets/mine.json': { body: '{"cart":1}', cacheControl: 'private, max-age=60' },
    '/assets/check.json': { body: '{"fresh":1}', cacheControl: 'no-cache, max-age=60' },
    '/assets/plain.txt': { body: 'no cache-control at all' },
    '/assets/shared.svg': { body: '<svg>shared</svg>', cacheControl: 'public, max-age=0, s-maxage=60' },
    '/assets/short.svg': { body: '<svg>short</svg>', cacheControl: 'public, max-age=600, s-maxage=5' },
    '/assets/broken.svg': { body: '{"error":"disk"}', cacheControl: 'public, max-age=60', status: 500 },
    '/assets/gone.svg': { body: '{"error":"gone"}', cacheControl: 'public, max-age=60', status: 404 },
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin');
    const path = url.pathname + url.search;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const file =
      url.pathname === '/assets/app.js'
        ? { body: `app version ${url.searchParams.get('v')}`, cacheControl: 'public, max-age=60' }
        : files[url.pathname];
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'not found' }));
    }
    res.writeHead(file.status ?? 200, {
      'content-type': 'text/plain',
      'x-origin': 'yes',
      ...(file.cacheControl ? { 'cache-control': file.cacheControl } : {}),
    });
    res.end(file.body);
  });
  const running = await serve(server);
  return { ...running, hits: (path: string) => hits.get(path) ?? 0 };
}

export type CdnHealth = 'healthy' | 'sick' | 'hanging';

/**
 * A stand-in CDN for the origin's health checks: `GET /_health` answers 200 while healthy, 503 while sick,
 * and never while hanging (the connection is accepted and left open); it can be switched at any time.
 */
export async function fakeCdn() {
  let health: CdnHealth = 'healthy';
  const server = http.createServer((req, res) => {
    if (health === 'hanging') return; // accepted, never answered
    if (req.url === '/_health' && health === 'sick') {
      res.writeHead(503, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'overloaded' }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ healthy: true }));
  });
  const running = await serve(server);
  return {
    ...running,
    set(next: CdnHealth) {
      health = next;
    },
  };
}
