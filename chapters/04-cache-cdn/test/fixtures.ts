/** The database behind the cache, ways to watch it, and seeded workloads. */
import http from 'node:http';
import type { Pool } from 'pg';
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

/**
 * A pool whose statements matching `pattern` wait until `open()` is called: lets a test step in at the exact
 * moment a write is on its way to the database.
 */
export function gatedPool(pool: Pool, pattern: RegExp) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let arrived: () => void = () => {};
  const arrival = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const gated = new Proxy(pool, {
    get(target, key, receiver) {
      if (key !== 'query') return Reflect.get(target, key, receiver);
      return async (...args: unknown[]) => {
        const first = args[0] as string | { text?: string };
        const sql = typeof first === 'string' ? first : (first?.text ?? '');
        if (pattern.test(sql)) {
          arrived();
          await gate;
        }
        return (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
      };
    },
  });
  return { pool: gated, open, arrival };
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

/** A static-file origin for the edge tests; it counts the requests it gets per path. */
export async function staticOrigin() {
  const hits = new Map<string, number>();
  const files: Record<string, { body: string; cacheControl?: string }> = {
    '/assets/logo.svg': { body: '<svg>logo</svg>', cacheControl: 'public, max-age=60' },
    '/assets/banner.svg': { body: '<svg>banner</svg>', cacheControl: 'public, max-age=60' },
    '/assets/live.json': { body: '{"visitors":3}', cacheControl: 'no-store, max-age=60' },
    '/assets/mine.json': { body: '{"cart":1}', cacheControl: 'private, max-age=60' },
    '/assets/check.json': { body: '{"fresh":1}', cacheControl: 'no-cache, max-age=60' },
    '/assets/shared.svg': { body: '<svg>shared</svg>', cacheControl: 'public, max-age=0, s-maxage=60' },
    '/assets/plain.txt': { body: 'no cache-control at all' },
  };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const file = files[path];
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'not found' }));
    }
    res.writeHead(200, {
      'content-type': 'text/plain',
      'x-origin': 'yes',
      ...(file.cacheControl ? { 'cache-control': file.cacheControl } : {}),
    });
    res.end(file.body);
  });
  const running = await serve(server);
  return { ...running, hits: (path: string) => hits.get(path) ?? 0 };
}
