/**
 * Forwarding one request to one backend. README: task 1.
 * Stream the body both ways, keep method, status and end-to-end headers, drop hop-by-hop headers
 * (Connection, Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade, and any header the Connection
 * header names), and add X-Forwarded-For, X-Forwarded-Host and X-Forwarded-Proto.
 */
import type http from 'node:http';

/** The request headers to send to the backend. */
export function forwardedHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  throw new Error('TODO (README, task 1): end-to-end headers plus X-Forwarded-*');
}
