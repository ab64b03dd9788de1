/**
 * The load balancer: the one public entry in front of private web servers. README: tasks 1–4.
 */
import type http from 'node:http';
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
  // TODO task 1: an http.createServer whose handler forwards each request (see proxy.ts); 503/502/504 as JSON.
  // TODO task 2: pick the backend with the strategy (see strategies.ts).
  // TODO task 3: passive checks on failed requests, active checks on an interval (see health.ts); retry GETs once.
  // TODO task 4: addBackend, removeBackend with draining.
  throw new Error(`TODO (README, tasks 1–4): a load balancer for ${options.backends.length} backends`);
}
