/**
 * A CDN edge server in front of the origin's static files. README: task 6.
 *   GET /path      a HIT from the edge's copy, or a MISS fetched from the origin (X-Cache, Age)
 *   PURGE /path    removes the copy at once (200; 404 when there was none)
 *   GET /_health   200 while the edge runs
 */
import type http from 'node:http';

export interface EdgeOptions {
  /** The origin server, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** The clock, in milliseconds. Tests pass a fake one to let time pass at once. */
  now?: () => number;
}

/** Returns a `node:http` server, not listening yet. */
export function createEdge(options: EdgeOptions): http.Server {
  throw new Error(`TODO (README, task 6): an edge server in front of ${options.origin}`);
}
