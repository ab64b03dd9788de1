/**
 * A minimal round-robin load balancer for the chapters after 02 (chapter 02 is where you build a real one).
 * It forwards each request to the next backend, or — with `sticky` — to the backend named in its `lb`
 * cookie (sticky sessions). `remove` drains: no new requests, and it resolves when the last one finished.
 * A backend that fails is not retried: the client sees the 502, so tests can count failures.
 */
import http from 'node:http';
import { type RunningServer, serve } from './http.js';

export interface TestBalancer extends RunningServer {
  add(id: string, url: string): void;
  remove(id: string): Promise<void>;
  /** The backends that receive new requests. */
  ids(): string[];
  /** Where a backend stands: receiving requests, draining, or gone from the balancer. */
  state(id: string): 'live' | 'draining' | 'absent';
}

interface Backend {
  id: string;
  url: string;
  active: number;
  draining: boolean;
  drained?: () => void;
}

export async function startBalancer({ sticky = false } = {}): Promise<TestBalancer> {
  const backends: Backend[] = [];
  let next = 0;
  const live = () => backends.filter((b) => !b.draining);

  const pick = (req: http.IncomingMessage): Backend | undefined => {
    if (sticky) {
      const wanted = /(?:^|;\s*)lb=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      const pinned = live().find((b) => b.id === wanted);
      if (pinned) return pinned;
    }
    const pool = live();
    next = (next + 1) % Math.max(pool.length, 1);
    return pool[next];
  };

  const server = http.createServer((req, res) => {
    const backend = pick(req);
    if (!backend) {
      res.writeHead(503, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'no backend' }));
    }
    backend.active += 1;
    const done = () => {
      backend.active -= 1;
      if (backend.active === 0) backend.drained?.();
    };
    const upstream = http.request(new URL(req.url ?? '/', backend.url), {
      method: req.method,
      headers: req.headers,
      agent: false,
    });
    upstream.on('response', (answer) => {
      const headers = { ...answer.headers, 'x-served-by': backend.id };
      if (sticky) {
        const cookies = [answer.headers['set-cookie'] ?? []].flat();
        headers['set-cookie'] = [...cookies, `lb=${backend.id}; Path=/; HttpOnly`];
      }
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
      answer.on('end', done);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      done();
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `backend ${backend.id} failed: ${error.message}` }));
    });
    req.pipe(upstream);
  });
  const running = await serve(server);
  return Object.assign(running, {
    add(id: string, url: string) {
      backends.push({ id, url, active: 0, draining: false });
    },
    async remove(id: string) {
      const backend = backends.find((b) => b.id === id);
      if (!backend) return;
      backend.draining = true;
      if (backend.active > 0) await new Promise<void>((resolve) => (backend.drained = resolve));
      backends.splice(backends.indexOf(backend), 1);
    },
    ids: () => live().map((b) => b.id),
    state(id: string) {
      const backend = backends.find((b) => b.id === id);
      return backend ? (backend.draining ? 'draining' : 'live') : 'absent';
    },
  });
}
