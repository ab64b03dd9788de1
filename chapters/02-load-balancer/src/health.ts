/** Active health checks. README: task 3. */

export interface HealthCheckOptions {
  /** The path to GET, e.g. `/health`; any 2xx answer within the timeout is a pass. */
  path: string;
  intervalMs: number;
  timeoutMs: number;
  /** Passes in a row that bring a down backend back. */
  healthyThreshold: number;
  /** Failures in a row that take an up backend out. */
  unhealthyThreshold: number;
}

/** One check: resolves true for a 2xx answer within the timeout, false for anything else (never rejects). */
export function probe(url: string, timeoutMs: number): Promise<boolean> {
  throw new Error('TODO (README, task 3): GET the health path with a timeout');
}
