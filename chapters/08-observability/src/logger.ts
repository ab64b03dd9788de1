/**
 * Structured logs: one JSON object per line (pino), shipped from every process to the central collector.
 * README: task 1. Shipping must never block or crash the service: a collector that is down loses log
 * lines, not requests.
 */
import type { DestinationStream, Logger } from 'pino';

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
  // TODO: pino({ base: { service } }, shipTo(collectorUrl))
  throw new Error(`TODO (README, task 1): a pino logger for ${service}`);
}

/** A pino destination that batches lines and posts them as NDJSON to the collector's `POST /logs`. */
export function shipTo(collectorUrl: string): DestinationStream {
  // TODO: { write(line) { … } }: collect lines, post them a little later in one request, ignore errors.
  throw new Error(`TODO (README, task 1): ship log lines to ${collectorUrl}/logs`);
}
