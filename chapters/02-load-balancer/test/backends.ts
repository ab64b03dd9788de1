/**
 * The private web servers behind the balancer (given, not part of the exercise): small photo-service
 * backends on 127.0.0.1 that say who they are and let a test hold, slow down or crash them.
 *
 *   GET  /health          200, or 503 after setHealthy(false)
 *   GET  /whoami          { id, url } and the header X-Backend-Id (url: the path and query it received)
 *   GET  /trickle         headers at once, the body 300 ms later
 *   GET  /die-mid-body    headers and half a body, then the connection dies
 *   GET  /hold            waits until release(): a request "in flight" for as long as the test wants
 *   GET  /work            I/O-bound work: `workMs` of waiting, at most `concurrency` at once (the rest queue)
 *   GET  /headers         the request headers the backend received, as JSON
 *   GET  /teapot          418 "I'm a teapot" with a custom header, and hop-by-hop headers that must stop at the balancer
 *   POST /echo            streams the request body straight back
 *   POST /v1/photos       inserts a photo row { title }; with crashAfterWrite the socket dies after the insert
 */
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { DatabaseNode } from '#kit/db';
import { type RunningServer, serve } from '#kit/http';

export interface BackendOptions {
  /** Requests of /work served at once; more wait in a queue (a server's CPU and connection limits). */
  concurrency?: number;
  workMs?: number;
  /** Where POST /v1/photos writes. */
  db?: DatabaseNode;
}

export interface TestBackend {
  readonly id: string;
  readonly url: string;
  readonly port: number;
  /** Requests this backend received, by path (health checks not counted). */
  readonly served: number;
  /** Requests waiting in /hold. */
  readonly holding: number;
  /** Resolves when `n` requests are waiting in /hold. */
  holdingAtLeast(n: number): Promise<void>;
  release(): void;
  setHealthy(healthy: boolean): void;
  /** The next POST /v1/photos writes its row, then the connection dies before any answer. */
  crashAfterWrite(): void;
  close(): Promise<void>;
  kill(): Promise<void>;
}

export async function startBackend(id: string, options: BackendOptions = {}, port = 0): Promise<TestBackend> {
  const { concurrency = Number.POSITIVE_INFINITY, workMs = 20, db } = options;
  const events = new EventEmitter();
  let healthy = true;
  let served = 0;
  let crashNext = false;
  const held: http.ServerResponse[] = [];
  let working = 0;
  const queue: (() => void)[] = [];

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-backend-id': id });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://backend').pathname;
    if (path === '/health') return json(res, healthy ? 200 : 503, { healthy });
    served += 1;
    switch (`${req.method} ${path}`) {
      case 'GET /whoami':
        return json(res, 200, { id, url: req.url });
      case 'GET /trickle':
        res.writeHead(200, { 'content-type': 'text/plain', 'x-backend-id': id });
        res.write('first half, ');
        setTimeout(() => res.end('second half'), 300);
        return;
      case 'GET /die-mid-body':
        res.writeHead(200, { 'content-type': 'text/plain', 'x-backend-id': id }); // chunked: no length to betray a cut
        res.write('only the first part');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      case 'GET /hold':
        held.push(res);
        events.emit('held');
        return;
      case 'GET /work': {
        if (working >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
        working += 1;
        await new Promise((resolve) => setTimeout(resolve, workMs));
        working -= 1;
        queue.shift()?.();
        return json(res, 200, { id });
      }
      case 'GET /headers':
        return json(res, 200, req.headers);
      case 'GET /teapot':
        res.writeHead(418, "I'm a teapot", {
          'x-teapot': 'short and stout',
          'x-backend-id': id,
          connection: 'x-internal',
          'x-internal': 'between balancer and backend only',
        });
        return res.end('no coffee here');
      case 'POST /echo':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-backend-id': id });
        return req.pipe(res);
      case 'POST /v1/photos': {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const { title } = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { title?: string };
        await db?.pool.query('INSERT INTO photos (title) VALUES ($1)', [title ?? '']);
        if (crashNext) {
          crashNext = false;
          req.socket.destroy();
          return;
        }
        return json(res, 201, { title, by: id });
      }
      default:
        return json(res, 404, { error: `no route ${req.method} ${path}` });
    }
  });
  const running: RunningServer = await serve(server, port);
  return {
    id,
    url: running.url,
    port: running.port,
    get served() {
      return served;
    },
    get holding() {
      return held.length;
    },
    async holdingAtLeast(n) {
      while (held.length < n) await once(events, 'held');
    },
    release() {
      for (const res of held.splice(0)) json(res, 200, { id, held: true });
    },
    setHealthy(value) {
      healthy = value;
    },
    crashAfterWrite() {
      crashNext = true;
    },
    close: () => {
      for (const res of held.splice(0)) json(res, 200, { id, held: true });
      return running.close();
    },
    kill: () => running.kill(),
  };
}

/** A backend that accepts each connection and resets it at once: it counts how often the balancer tried it. */
export async function startResettingBackend(id: string) {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.resetAndDestroy();
  });
  const running = await serve(server);
  return {
    id,
    url: running.url,
    get connections() {
      return connections;
    },
  };
}
