/**
 * Active health checks: GET a path on every backend at an interval; a backend goes down after
 * `unhealthyThreshold` failed checks in a row and comes back after `healthyThreshold` good ones.
 */
import http from 'node:http';
import type { Pool } from './pool.js';

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

/** One check: resolves true for a 2xx answer within the timeout, false for anything else. */
export function probe(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
    });
    req.on('timeout', () => req.destroy(new Error('health check timed out')));
    req.on('error', () => resolve(false));
  });
}

/** Counts passes and failures in a row and says when the verdict changes. */
export class HealthCounter {
  private passes = 0;
  private failures = 0;

  constructor(
    private readonly options: Pick<HealthCheckOptions, 'healthyThreshold' | 'unhealthyThreshold'>,
  ) {}

  /** Records one check of a backend that is now `healthy`; returns the new verdict when it changes. */
  record(passed: boolean, healthy: boolean): boolean | undefined {
    if (passed) {
      this.passes += 1;
      this.failures = 0;
      if (!healthy && this.passes >= this.options.healthyThreshold) return true;
    } else {
      this.failures += 1;
      this.passes = 0;
      if (healthy && this.failures >= this.options.unhealthyThreshold) return false;
    }
    return undefined;
  }

  reset(): void {
    this.passes = 0;
    this.failures = 0;
  }
}

/**
 * Checks every backend of the pool each `intervalMs`, whoever took it out (a check or a failed request);
 * a round still running when the next is due is not doubled. Returns a function that stops the checks.
 */
export function startActiveChecks(pool: Pool, check: HealthCheckOptions): () => void {
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    await Promise.all(
      pool.all().map(async (backend) => {
        const passed = await probe(new URL(check.path, backend.url).toString(), check.timeoutMs);
        const verdict = backend.counter?.record(passed, backend.healthy);
        if (verdict !== undefined) pool.setHealth(backend, verdict, 'active check');
      }),
    );
    running = false;
  };
  const timer = setInterval(round, check.intervalMs);
  return () => clearInterval(timer);
}
