/**
 * The load balancer: the one public entry in front of private web servers. It spreads requests with a
 * strategy, checks health actively and passively, retries safe requests once on another backend, and lets
 * backends join and leave (draining) at runtime.
 */
import http from 'node:http';
import { type HealthCheckOptions, startActiveChecks } from './health.js';
import { createPool } from './pool.js';
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

/** Methods that are safe to repeat: a request that failed before any answer may go to a second backend. */
const SAFE_TO_RETRY = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createLoadBalancer(options: LoadBalancerOptions): LoadBalancer {
  const strategy: Strategy = options.strategy === 'least-connections' ? leastConnections() : roundRobin();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = new http.Agent({ keepAlive: true });
  const pool = createPool(options.healthCheck);
  for (const backend of options.backends) pool.add(backend);
  const stopChecks = options.healthCheck ? startActiveChecks(pool, options.healthCheck) : undefined;

  /** With a single candidate there is nothing to choose; otherwise the strategy decides. */
  const choose = <T extends { id: string; active: number }>(candidates: T[]) =>
    candidates.length <= 1 ? candidates[0] : strategy.pick(candidates);

  /**
   * One request: pick a backend, forward, and on a failure before any answer take that backend out (passive
   * check) and, for a request that is safe to repeat, try once more on another.
   */
  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const tried = new Set<string>();
    const retryable = SAFE_TO_RETRY.has(req.method ?? '') && !req.headers['content-length'];
    for (;;) {
      const backend = choose(pool.candidates(tried));
      if (!backend) return sendError(res, 503, 'no healthy backend to serve this request');
      tried.add(backend.id);
      const end = pool.begin(backend);
      const outcome = await forward(req, res, backend.url, agent, timeoutMs).finally(end);
      if (outcome.kind === 'done') return;
      if (outcome.kind === 'timeout') {
        return sendError(res, 504, `backend ${backend.id} did not answer within ${timeoutMs} ms`);
      }
      const code = (outcome.error as NodeJS.ErrnoException).code ?? outcome.error.message;
      pool.setHealth(backend, false, `passive: ${code}`);
      if (!retryable || tried.size >= 2) {
        return sendError(res, 502, `backend ${backend.id} failed: ${outcome.error.message}`);
      }
    }
  }

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((error: Error) => sendError(res, 500, error.message));
  });

  return {
    server,
    addBackend(backend) {
      pool.add(backend);
    },
    removeBackend(id) {
      return pool.drain(id);
    },
    inRotation() {
      return pool.candidates().map((b) => b.id);
    },
    onHealthChange(listener) {
      pool.events.on('health', listener);
      return () => pool.events.off('health', listener);
    },
    async close() {
      stopChecks?.();
      agent.destroy();
    },
  };
}

/** An error the balancer answers itself, as JSON; once an answer has begun, the only honest signal is a cut. */
function sendError(res: http.ServerResponse, status: number, error: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error }));
}
