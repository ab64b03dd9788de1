/**
 * Structured logs: one JSON object per line (pino), shipped from every process to the central collector.
 * Shipping is batched and never blocks or crashes the service: a collector that is down loses log lines,
 * not requests.
 */
import http from 'node:http';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** The header that carries a request's id from the balancer to the web servers and back to the client. */
export const REQUEST_ID_HEADER = 'x-request-id';

export interface LoggerOptions {
  /** Which process writes: `balancer`, `web-1`, `worker` … Every line carries it as `service`. */
  service: string;
  /** Where the collector listens, e.g. `http://127.0.0.1:41234`: lines go to `POST /logs`. */
  collectorUrl: string;
}

/** A pino logger whose lines carry `service` and travel to the collector. */
export function createLogger({ service, collectorUrl }: LoggerOptions): Logger {
  return pino({ base: { service } }, shipTo(collectorUrl));
}

/** A pino destination that batches lines and posts them as NDJSON to the collector's `POST /logs`. */
export function shipTo(collectorUrl: string): DestinationStream {
  let batch: string[] = [];
  let scheduled = false;
  const agent = new http.Agent({ keepAlive: false });
  const send = () => {
    scheduled = false;
    const body = batch.join('');
    batch = [];
    const req = http.request(new URL('/logs', collectorUrl), {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => res.resume());
    req.on('error', () => {}); // the collector is down: the lines are lost, the service goes on
    req.end(body);
  };
  return {
    write(line: string) {
      batch.push(line.endsWith('\n') ? line : `${line}\n`);
      if (!scheduled) {
        scheduled = true;
        // One request for the lines of the next few milliseconds: fewer, larger posts.
        setTimeout(send, 20);
      }
    },
  };
}
