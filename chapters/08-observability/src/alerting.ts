/**
 * An alert rule on the tier's metrics: the share of requests that failed (status 5xx) over a sliding
 * window. README: task 4. Evaluated on explicit ticks — the caller passes the time, as a rule engine's
 * clock would — it fires when the rate goes over the bound and resolves once the window no longer holds
 * the errors.
 */

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

export function createErrorRateAlert({ rule }: AlertOptions): Alert {
  // TODO: keep (time, requests, errors) points from each tick; the rate is the difference between now
  //       and the point at the window's start.
  throw new Error(`TODO (README, task 4): the alert ${rule.name}`);
}
