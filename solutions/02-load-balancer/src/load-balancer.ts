/**
 * The load balancer: the one public entry in front of private web servers. It spreads requests with a
 * strategy, checks health actively and passively, retries safe requests once on another backend, and lets
 * backends join and leave (draining) at runtime.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { type HealthCheckOptions, HealthCounter, probe } from './health.js';
import { forward } from './proxy.js';
import { leastConnections, roundRobin, type Strategy } from './strategies.js';

export type { HealthCheckOptions } from './health.js';

export interface Backend {
  id: string;
  /** Where the backend listens, e.g. `http://127.0.0.1:41234`. */
  url: string;
}

export interface LoadBalancerOptions {
  backends: Backend[];
  strategy?: 'round-robin' | 'least-connections';
  /** Active health checks; without them, only failed requests (passive checks) take a backend out. */
  healthCheck?: HealthCheckOptions;
  /** How long a backend may take to start answering before the client gets a 504. Default 10 s. */
  timeoutMs?: number;
}

export interface HealthEvent {
  backend: string;
  healthy: boolean;
  /** Why: `active check`, or the error a request met (`passive: ECONNREFUSED`). */
  reason: string;
}

export interface LoadBalancer {
  /** The balancer's HTTP server, not listening yet: the caller decides where. */
  readonly server: http.Server;
  addBackend(backend: Backend): void;
  /** Takes a backend out of rotation at once; resolves when its requests in flight have finished. */
  removeBackend(id: string): Promise<void>;
  /** The ids of the backends that get new requests now (healthy and not draining). */
  inRotation(): string[];
  /** Calls the listener whenever a backend goes down or comes back; returns a function that unsubscribes. */
  onHealthChange(listener: (event: HealthEvent) => void): () => void;
  /** Stops health checks and closes upstream connections (not the server: the caller owns it). */
  close(): Promise<void>;
}

interface BackendState {
  id: string;
  url: string;
  active: number;
  healthy: boolean;
  draining: boolean;
  counter: HealthCounter | undefined;
  drained: (() => void) | undefined;
}

const SAFE_TO_RETRY = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createLoadBalancer(options: LoadBalancerOptions): LoadBalancer {
  const strategy: Strategy = options.strategy === 'least-connections' ? leastConnections() : roundRobin();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = new http.Agent({ keepAlive: true });
  const events = new EventEmitter();
  const backends = new Map<string, BackendState>();

  const setHealth = (backend: BackendState, healthy: boolean, reason: string) => {
    if (backend.healthy === healthy) return;
    backend.healthy = healthy;
    backend.counter?.reset();
    events.emit('health', { backend: backend.id, healthy, reason } satisfies HealthEvent);
  };

  const addBackend = (backend: Backend) => {
    const counter = options.healthCheck ? new HealthCounter(options.healthCheck) : undefined;
    backends.set(backend.id, {
      ...backend,
      active: 0,
      healthy: true,
      draining: false,
      counter,
      drained: undefined,
    });
  };
  for (const backend of options.backends) addBackend(backend);

  const candidates = (exclude: Set<string>) =>
    [...backends.values()].filter((b) => b.healthy && !b.draining && !exclude.has(b.id));

  const server = http.createServer(async (req, res) => {
    const tried = new Set<string>();
    const retryable = SAFE_TO_RETRY.has(req.method ?? '') && !req.headers['content-length'];
    for (;;) {
      const picked = strategy.pick(candidates(tried));
      const backend = picked ? backends.get(picked.id) : undefined;
      if (!backend) {
        return sendError(res, 503, 'no healthy backend to serve this request');
      }
      tried.add(backend.id);
      backend.active += 1;
      const outcome = await forward(req, res, backend.url, agent, timeoutMs).finally(() => {
        backend.active -= 1;
        if (backend.active === 0) backend.drained?.();
      });
      if (outcome.kind === 'answered') return;
      if (outcome.kind === 'timeout') {
        return sendError(res, 504, `backend ${backend.id} did not answer within ${timeoutMs} ms`);
      }
      setHealth(
        backend,
        false,
        `passive: ${(outcome.error as NodeJS.ErrnoException).code ?? outcome.error.message}`,
      );
      if (!retryable || tried.size >= 2) {
        return sendError(res, 502, `backend ${backend.id} failed: ${outcome.error.message}`);
      }
    }
  });

  let timer: NodeJS.Timeout | undefined;
  if (options.healthCheck) {
    const check = options.healthCheck;
    let running = false;
    timer = setInterval(async () => {
      if (running) return;
      running = true;
      await Promise.all(
        [...backends.values()].map(async (backend) => {
          const passed = await probe(new URL(check.path, backend.url).toString(), check.timeoutMs);
          const verdict = backend.counter?.record(passed, backend.healthy);
          if (verdict !== undefined) setHealth(backend, verdict, 'active check');
        }),
      );
      running = false;
    }, check.intervalMs);
  }

  return {
    server,
    addBackend,
    async removeBackend(id) {
      const backend = backends.get(id);
      if (!backend) return;
      backend.draining = true;
      if (backend.active > 0) {
        await new Promise<void>((resolve) => {
          backend.drained = resolve;
        });
      }
      backends.delete(id);
    },
    inRotation: () => candidates(new Set()).map((b) => b.id),
    onHealthChange(listener) {
      events.on('health', listener);
      return () => events.off('health', listener);
    },
    async close() {
      clearInterval(timer);
      agent.destroy();
    },
  };
}

function sendError(res: http.ServerResponse, status: number, error: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error }));
}
