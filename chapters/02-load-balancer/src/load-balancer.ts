/**
 * The load balancer: the one public entry in front of private web servers. Each operation below says which
 * task of the README writes it.
 */
import http from 'node:http';
import type { HealthCheckOptions } from './health.js';

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
  /** The balancer's HTTP server (`node:http`), not listening yet: the caller decides where. */
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

export function createLoadBalancer(options: LoadBalancerOptions): LoadBalancer {
  // Your state: the backends (options.backends) and what you know of each; the strategy (task 2, see
  // strategies.ts); the active checks when options.healthCheck is given (task 3, see health.ts).

  /**
   * Task 1: forward the request to a backend and its answer to the client (see proxy.ts); 504 when the
   * backend does not start to answer within options.timeoutMs. Task 3 adds the passive check and the retry.
   */
  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    throw new Error(`TODO (README, task 1): forward ${req.method} ${req.url} to a backend`);
  }

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((error: Error) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: error.message }));
    });
  });

  return {
    server,
    addBackend(backend) {
      throw new Error(`TODO (README, task 4): add ${backend.id} to the pool`);
    },
    removeBackend(id) {
      throw new Error(`TODO (README, task 4): drain ${id}, then take it out of the pool`);
    },
    inRotation() {
      throw new Error('TODO (README, task 3): the backends that are healthy and not draining');
    },
    onHealthChange(listener) {
      throw new Error('TODO (README, task 3): call the listener on every change of health');
    },
    close() {
      // Task 3 adds: stop the active checks.
      throw new Error('TODO (README, task 1): close the connections to the backends');
    },
  };
}
