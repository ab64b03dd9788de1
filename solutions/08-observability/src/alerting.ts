/**
 * An alert rule on the tier's metrics: the share of requests that failed (status 5xx) over a sliding
 * window. Evaluated on explicit ticks — the caller passes the time, as a rule engine's clock would — it
 * fires when the rate goes over the bound and resolves once the window no longer holds the errors.
 */
import { type MetricFamily, parseMetrics } from './prom-text.js';

export interface ErrorRateRule {
  name: string;
  /** The window the rate is computed over, in ms. */
  windowMs: number;
  /** Fire when errors / requests in the window is above this (0.1 = 10 %). */
  maxErrorRate: number;
}

export type AlertState = 'ok' | 'firing';

export interface AlertEvent {
  rule: string;
  state: AlertState;
  /** The tick's time. */
  at: number;
  errorRate: number;
}

export interface AlertOptions {
  rule: ErrorRateRule;
  /** Returns the tier's metrics page (the aggregator's `/metrics`). */
  scrape(): Promise<string>;
  /** Called once when the alert fires and once when it resolves: the page to the on-call person. */
  notify(event: AlertEvent): void;
}

export interface Alert {
  /** Scrapes, evaluates the rule at time `now` (ms), notifies on a change; resolves with the state. */
  tick(now: number): Promise<{ state: AlertState; errorRate: number }>;
}

interface Point {
  at: number;
  requests: number;
  errors: number;
}

export function createErrorRateAlert({ rule, scrape, notify }: AlertOptions): Alert {
  let points: Point[] = [];
  let state: AlertState = 'ok';
  return {
    async tick(now) {
      const totals = requestTotals(parseMetrics(await scrape()));
      points.push({ at: now, ...totals });
      // The baseline is the last point at or before the window's start; older points are not needed.
      const start = now - rule.windowMs;
      const baselineIndex = points.findLastIndex((p) => p.at <= start);
      if (baselineIndex > 0) points = points.slice(baselineIndex);
      const baseline = points[0] as Point;
      const requests = totals.requests - baseline.requests;
      const errors = totals.errors - baseline.errors;
      const errorRate = requests > 0 ? errors / requests : 0;
      const next: AlertState = errorRate > rule.maxErrorRate ? 'firing' : 'ok';
      if (next !== state) {
        state = next;
        notify({ rule: rule.name, state, at: now, errorRate });
      }
      return { state, errorRate };
    },
  };
}

function requestTotals(families: MetricFamily[]): { requests: number; errors: number } {
  const family = families.find((f) => f.name === 'http_requests_total' || f.name === 'http_requests');
  let requests = 0;
  let errors = 0;
  for (const sample of family?.samples ?? []) {
    if (sample.name.endsWith('_created')) continue;
    requests += sample.value;
    if (/^5\d\d$/.test(sample.labels.status ?? '')) errors += sample.value;
  }
  return { requests, errors };
}
