/** Starts backends and the learner's balancer in front of them, and waits on the balancer's health events. */

import { onTestFinished } from 'vitest';
import { type RequestOptions, request, serve } from '#kit/http';
import { within } from '#kit/wait';
import {
  createLoadBalancer,
  type HealthEvent,
  type LoadBalancer,
  type LoadBalancerOptions,
} from '../src/load-balancer.js';
import { type BackendOptions, startBackend, type TestBackend } from './backends.js';

export const HOST = 'www.photos.test';

/** Fast health checks for tests: a verdict within a few hundred milliseconds. */
export const FAST_CHECKS = {
  path: '/health',
  intervalMs: 25,
  timeoutMs: 200,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
};

export async function startCluster(
  ids: string[],
  options: Omit<LoadBalancerOptions, 'backends'> = {},
  backendOptions: BackendOptions = {},
) {
  const backends = await Promise.all(ids.map((id) => startBackend(id, backendOptions)));
  const balancer = createLoadBalancer({
    ...options,
    backends: backends.map((b) => ({ id: b.id, url: b.url })),
  });
  onTestFinished(() => balancer.close());
  const entry = await serve(balancer.server);
  const byId = Object.fromEntries(backends.map((b) => [b.id, b])) as Record<string, TestBackend>;
  return {
    balancer,
    entry,
    backends,
    backend: (id: string) => byId[id] as TestBackend,
    send: (path: string, opts: RequestOptions = {}) => request(entry.url + path, { host: HOST, ...opts }),
  };
}

/** Resolves when the balancer reports `id` healthy or unhealthy (at once if it already is). */
export function healthOf(balancer: LoadBalancer, id: string, healthy: boolean): Promise<void> {
  const reported = new Promise<void>((resolve) => {
    if (balancer.inRotation().includes(id) === healthy) return resolve();
    const stop = balancer.onHealthChange((event: HealthEvent) => {
      if (event.backend === id && event.healthy === healthy) {
        stop();
        resolve();
      }
    });
  });
  return within(
    reported,
    3000,
    `the balancer never reported ${id} ${healthy ? 'healthy' : 'down'}: emit a health event when a check (or a failed ` +
      `request) changes the verdict, and keep inRotation() in step (it lists ${JSON.stringify(balancer.inRotation())})`,
  );
}

/** Which backend answered each reply, from the X-Backend-Id header the backends set. */
export function tally(replies: { headers: Record<string, unknown> }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reply of replies) {
    const id = String(reply.headers['x-backend-id'] ?? 'none');
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/** Sends `total` requests with at most `concurrency` in flight; `onEach` runs after each one settles. */
export async function load<T>(
  total: number,
  concurrency: number,
  send: (i: number) => Promise<T>,
  onEach?: (done: number) => unknown,
) {
  const results: PromiseSettledResult<T>[] = new Array(total);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      results[i] = await send(i).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
      done += 1;
      await onEach?.(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
