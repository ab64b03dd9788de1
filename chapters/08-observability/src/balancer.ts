/**
 * The load balancer, now observable. README: task 1.
 * It is where a request enters the system, so it is where the request gets its id: keep a usable
 * X-Request-Id the client sent, or make one; pass it to the web server; return it to the client; log with it.
 */
import type http from 'node:http';
import type { Logger } from './logger.js';

export interface BalancerOptions {
  /** The web servers' URLs, e.g. `http://127.0.0.1:41234`; requests go to each in turn. */
  backends: string[];
  logger: Logger;
}

/** A round-robin reverse proxy (not listening yet: the caller decides where). */
export function createBalancer({ backends, logger }: BalancerOptions): http.Server {
  throw new Error(
    `TODO (README, task 1): a proxy over ${backends.length} web servers that carries request ids`,
  );
}
