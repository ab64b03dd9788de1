/**
 * The private web servers behind the balancer (given, not part of the exercise): small photo-service
 * backends on 127.0.0.1 that say who they are and let a test hold, slow down or crash them.
 *
 *   GET  /health          200, or 503 (or no answer at all) as setHealth() says
 *   GET  /whoami          { id, method, url } and the header X-Backend-Id (url: the path and query it received)
 *   GET  /hold            waits until release(): a request "in flight" for as long as the test wants
 *   GET  /stream          headers and a first part at once, the rest of the body when release() is called
 *   GET  /die-mid-body    headers and half a body, then the connection dies
 *   GET  /work            I/O-bound work: `workMs` of waiting, at most `concurrency` at once (the rest queue)
 *   GET  /headers         the request headers the backend received, as JSON
 *   GET  /teapot          418 "I'm a teapot" with a custom header, and hop-by-hop headers that must stop at the balancer
 *   POST /echo            streams the request body straight back
 *   POST /upload          counts the bytes of the body (and says when the first ones arrived), answers { bytes }
 *   POST /v1/photos       inserts a photo row { title }; with crashAfterWrite the socket dies after the insert
 *   any other method of /whoami answers like GET (so a test can see which method arrived)
 */
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { DatabaseNode } from '#kit/db';
import { type RunningServer, serve } from '#kit/http';
import { pause } from '#kit/wait';

export interface BackendOptions {
  /** Requests of /work served at once; more wait in a queue (a server's CPU and connection limits). */
  concurrency?: number;
  workMs?: number;
  /** Where POST /v1/photos writes. */
  db?: DatabaseNode;
}

/**
 * How /health answers, as a pattern repeated check after check: `p` a pass (200), `f` a failure (503), `h` no
 * answer at all (hangs). `'p'` is healthy, `'f'` failing, `'fpp'` one failed check in every three.
 */
export type HealthPattern = string;

export interface TestBackend {
  readonly id: string;
  readonly url: string;
  readonly port: number;
  /** Requests this backend received (health checks not counted). */
  readonly served: number;
  /** Requests waiting in /hold or /stream. */
  readonly holding: number;
  /** Connections open to this backend now (from the balancer, health checks included). */
  readonly openConnections: number;
  /**
   * Health checks answered since the last setHealth(): how many passed and failed; and how many of the kind
   * of the last one were answered in a row (counted across setHealth() calls).
   */
  readonly checks: { passed: number; failed: number; inARow: number };
  /** Resolves when `n` requests are waiting in /hold or /stream. */
  holdingAtLeast(n: number): Promise<void>;
  /** Resolves when `n` health checks have been answered since the last setHealth(). */
  checkedAtLeast(n: number): Promise<void>;
  /** Resolves when the body of a POST /upload has started to arrive. */
  uploadStarted(): Promise<void>;
  /** Answers every request waiting in /hold, and ends the body of every answer waiting in /stream. */
  release(): void;
  /** Starts the answer of every request waiting in /hold (status and headers), and holds its body until release(). */
  startAnswers(): void;
  setHealthy(healthy: boolean): void;
  setHealth(pattern: HealthPattern): void;
  /** While on, every request but the health checks has its connection reset before any answer. */
  resetRequests(on: boolean): void;
  /** The next POST /v1/photos writes its row, then the connection dies before any answer. */
  crashAfterWrite(): void;
  close(): Promise<void>;
  kill(): Promise<void>;
}

export async function startBackend(id: string, options: BackendOptions = {}, port = 0): Promise<TestBackend> {
  const { concurrency = Number.POSITIVE_INFINITY, workMs = 20, db } = options;
  const events = new EventEmitter();
  events.setMaxListeners(100);
  let pattern: HealthPattern = 'p';
  let checks = { passed: 0, failed: 0, inARow: 0 };
  let answered = 0;
  let lastPassed: boolean | undefined;
  let served = 0;
  let crashNext = false;
  let resetting = false;
  let uploading = false;
  /** Requests in /hold (no answer yet) and /stream (answer started, body held). */
  const held: { res: http.ServerResponse; started: boolean }[] = [];
  let working = 0;
  const queue: (() => void)[] = [];
  const sockets = new Set<net.Socket>();

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-backend-id': id });
    res.end(JSON.stringify(body));
  };
  const startAnswer = (entry: (typeof held)[number]) => {
    if (entry.started) return;
    entry.started = true;
    entry.res.writeHead(200, { 'content-type': 'text/plain', 'x-backend-id': id }); // chunked: no length
    entry.res.write('first part, ');
  };
  const health = (res: http.ServerResponse) => {
    const kind = pattern[answered % pattern.length] ?? 'p';
    answered += 1;
    if (kind === 'h') return; // never answered: the checker's own timeout must end it
    const passed = kind === 'p';
    checks = {
      passed: checks.passed + (passed ? 1 : 0),
      failed: checks.failed + (passed ? 0 : 1),
      inARow: lastPassed === passed ? checks.inARow + 1 : 1,
    };
    lastPassed = passed;
    json(res, passed ? 200 : 503, { healthy: passed });
    events.emit('checked');
  };

  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://backend').pathname;
    if (path === '/health') return health(res);
    served += 1;
    if (resetting) return req.socket.resetAndDestroy();
    if (path === '/whoami') return json(res, 200, { id, method: req.method, url: req.url });
    switch (`${req.method} ${path}`) {
      case 'GET /hold':
        held.push({ res, started: false });
        events.emit('held');
        return;
      case 'GET /stream': {
        const entry = { res, started: false };
        startAnswer(entry);
        held.push(entry);
        events.emit('held');
        return;
      }
      case 'GET /die-mid-body':
        res.writeHead(200, { 'content-type': 'text/plain', 'x-backend-id': id }); // chunked: no length to betray a cut
        // Once the first part has left, the server dies.
        res.write('only the first part', () => req.socket.destroy());
        return;
      case 'GET /work': {
        if (working >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
        working += 1;
        await pause(workMs);
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
          'proxy-authenticate': 'Basic realm="backend"',
          trailer: 'x-checksum',
        });
        return res.end('no coffee here');
      case 'POST /echo':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-backend-id': id });
        return req.pipe(res);
      case 'POST /upload': {
        let bytes = 0;
        for await (const chunk of req) {
          if (bytes === 0) {
            uploading = true;
            events.emit('upload');
          }
          bytes += (chunk as Buffer).length;
        }
        return json(res, 200, { bytes });
      }
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
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const running: RunningServer = await serve(server, port);
  const setHealth = (value: HealthPattern) => {
    pattern = value;
    // The run in a row goes on across patterns: the balancer counts it that way too.
    checks = { passed: 0, failed: 0, inARow: checks.inARow };
    answered = 0;
  };
  const releaseAll = () => {
    for (const entry of held.splice(0)) {
      if (entry.started) entry.res.end('the rest');
      else json(entry.res, 200, { id, held: true });
    }
  };
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
    get openConnections() {
      return sockets.size;
    },
    get checks() {
      return { ...checks };
    },
    async holdingAtLeast(n) {
      while (held.length < n) await once(events, 'held');
    },
    async checkedAtLeast(n) {
      while (checks.passed + checks.failed < n) await once(events, 'checked');
    },
    async uploadStarted() {
      if (!uploading) await once(events, 'upload');
    },
    release: releaseAll,
    startAnswers() {
      for (const entry of held) startAnswer(entry);
    },
    setHealthy: (healthy) => setHealth(healthy ? 'p' : 'f'),
    setHealth,
    resetRequests(on) {
      resetting = on;
    },
    crashAfterWrite() {
      crashNext = true;
    },
    close: () => {
      releaseAll();
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
