/**
 * The load balancer, now observable: it is where a request enters the system, so it is where the request
 * gets its id. The id travels to the web server in a header, comes back to the client in the answer, and
 * is on every log line the request causes.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { type Logger, REQUEST_ID_HEADER } from './logger.js';

export interface BalancerOptions {
  /** The web servers' URLs, e.g. `http://127.0.0.1:41234`; requests go to each in turn. */
  backends: string[];
  logger: Logger;
}

/** A round-robin reverse proxy (not listening yet: the caller decides where). */
export function createBalancer({ backends, logger }: BalancerOptions): http.Server {
  let next = 0;
  return http.createServer((req, res) => {
    const given = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    const log = logger.child({ requestId });
    const backend = backends[next % backends.length];
    next += 1;
    const started = performance.now();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    if (!backend) {
      log.error({ method: req.method, url: req.url }, 'no backend');
      res.writeHead(503, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'no backend', requestId }));
    }
    log.info({ method: req.method, url: req.url, backend }, 'request received');
    const upstream = http.request(new URL(req.url ?? '/', backend), {
      method: req.method,
      headers: { ...req.headers, [REQUEST_ID_HEADER]: requestId },
      agent: false,
    });
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, [REQUEST_ID_HEADER]: requestId });
      answer.pipe(res);
      answer.on('end', () => {
        const durationMs = Math.round(performance.now() - started);
        const status = answer.statusCode ?? 0;
        log[status >= 500 ? 'warn' : 'info']({ backend, status, durationMs }, 'request answered');
      });
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      log.error({ backend, err: error.message }, 'backend failed');
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `backend failed: ${error.message}`, requestId }));
    });
    req.pipe(upstream);
  });
}
