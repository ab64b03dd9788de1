/** Starts backends and the learner's balancer in front of them, and waits on the balancer's health events. */

import { once } from 'node:events';
import http from 'node:http';
import { onTestFinished } from 'vitest';
import { type RequestOptions, request, serve } from '#kit/http';
import { step } from '#kit/wait';
import {
  createLoadBalancer,
  type HealthEvent,
  type LoadBalancer,
  type LoadBalancerOptions,
} from '../src/load-balancer.js';
import { type BackendOptions, startBackend, type TestBackend } from './backends.js';

export const HOST = 'www.photos.test';

/**
 * Fast health checks for tests: a verdict within a few hundred milliseconds. A dead server refuses the
 * connection and a sick one answers 503 at once, so the checks' timeout can be long: on a busy machine a
 * healthy server that is slow to answer must not be taken for a dead one.
 */
export const FAST_CHECKS = {
  path: '/health',
  intervalMs: 25,
  timeoutMs: 1000,
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
  // close() once, by the test or when it ends.
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= balancer.close();
    return closed;
  };
  onTestFinished(close);
  const entry = await serve(balancer.server);
  const byId = Object.fromEntries(backends.map((b) => [b.id, b])) as Record<string, TestBackend>;
  return {
    balancer,
    close,
    entry,
    backends,
    backend: (id: string) => byId[id] as TestBackend,
    send: (path: string, opts: RequestOptions = {}) => request(entry.url + path, { host: HOST, ...opts }),
    open: (path: string, opts: { method?: string } = {}) => open(entry.url + path, opts),
  };
}

/** A request whose answer is read as it comes, and whose body (if any) the test writes itself. */
export interface OpenRequest {
  /** Write the request body, part by part; `end()` sends the rest. */
  readonly body: http.ClientRequest;
  /** Resolves when the answer's status and headers reached the client (its body may still be on its way). */
  readonly answer: Promise<http.IncomingMessage>;
  /** Resolves with the whole body once the answer is complete; rejects when it broke off. */
  readonly text: Promise<string>;
}

/** Opens a request through the balancer without waiting for it to finish (a download or upload in progress). */
export function open(url: string, { method = 'GET' } = {}): OpenRequest {
  const target = new URL(url);
  const body = http.request(target, {
    method,
    agent: false,
    headers: { host: `${HOST}:${target.port}` },
  });
  onTestFinished(() => {
    body.destroy();
  });
  const answer = once(body, 'response').then(([res]) => res as http.IncomingMessage);
  const text = answer.then(
    (res) =>
      new Promise<string>((resolve, reject) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          data += chunk;
        });
        res.on('end', () => (res.complete ? resolve(data) : reject(new Error('the answer broke off'))));
        res.on('error', reject);
      }),
  );
  // Nothing may go unhandled when a test stops early.
  answer.catch(() => undefined);
  text.catch(() => undefined);
  if (method === 'GET') body.end();
  else body.flushHeaders();
  return { body, answer, text };
}

/**
 * A step that needs the requests still open (held by a backend, an upload still being written): an answer
 * that reaches the client first (a 500 from code not yet written, a 502) means the step can never finish, so it
 * fails at once with that answer instead of at its deadline.
 */
export function stepWhileOpen<T>(
  what: string | (() => string),
  requests: OpenRequest[],
  event: Promise<T>,
  ms?: number,
): Promise<T> {
  const text = () => (typeof what === 'string' ? what : what());
  const answeredFirst = requests.map((r) =>
    r.answer.then(async (res): Promise<never> => {
      const body = await r.text.catch(() => '');
      throw new Error(
        `${text()}: but a request that should still be open was answered first: HTTP ${res.statusCode} ${body.slice(0, 300)}`,
      );
    }),
  );
  return step(what, Promise.race([event, ...answeredFirst]), ms);
}

/**
 * Waits until every one of the slow requests is held by one of the backends (or fails at once when one was
 * answered first), then says how many each holds: `{ A: 1, B: 1, C: 1 }`.
 */
export async function whereHeld(
  what: string,
  requests: OpenRequest[],
  backends: TestBackend[],
): Promise<Record<string, number>> {
  const total = () => backends.reduce((sum, b) => sum + b.holding, 0);
  const allHeld = (async () => {
    while (total() < requests.length)
      await Promise.race(backends.map((b) => b.holdingAtLeast(b.holding + 1)));
  })();
  await stepWhileOpen(() => `${what} (held so far: ${JSON.stringify(holdings())})`, requests, allHeld);
  return holdings();

  function holdings(): Record<string, number> {
    return Object.fromEntries(backends.map((b) => [b.id, b.holding]));
  }
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
  return step(
    () =>
      `the balancer never reported ${id} ${healthy ? 'healthy' : 'down'}: emit a health event when a check (or a failed ` +
      `request) changes the verdict, and keep inRotation() in step (it lists ${JSON.stringify(balancer.inRotation())})`,
    reported,
  );
}

/** Every health event of the balancer from now on, and a way to wait for the one a test expects. */
export function recordHealth(balancer: LoadBalancer) {
  const events: HealthEvent[] = [];
  const listeners = new Set<() => void>();
  balancer.onHealthChange((event) => {
    events.push(event);
    for (const listener of listeners) listener();
  });
  const seen = () =>
    events.map((e) => `${e.backend} ${e.healthy ? 'up' : 'down'} (${e.reason})`).join('; ') || 'none';
  return {
    events,
    /** The events so far, as text for a message: `B down (passive: ECONNRESET); B up (active check)`. */
    seen,
    /** Resolves with the first event (from the start) that matches; fails with `what` and the events seen. */
    waitFor(match: (event: HealthEvent) => boolean, what: string): Promise<HealthEvent> {
      const found = new Promise<HealthEvent>((resolve) => {
        const check = () => {
          const event = events.find(match);
          if (event) {
            listeners.delete(check);
            resolve(event);
          }
        };
        listeners.add(check);
        check();
      });
      return step(() => `${what} (health events so far: ${seen()})`, found);
    },
  };
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

/** What went wrong with each request that did not get a 200, as lines for a failure message. */
export function failures(results: PromiseSettledResult<{ status: number; text: string }>[]): string[] {
  // The same failure many times over is one line: `requests 0, 1, 2 (36 in all): 500 {"error":…}`.
  const byAnswer = new Map<string, number[]>();
  results.forEach((r, i) => {
    if (r.status === 'fulfilled' && r.value.status === 200) return;
    const answer =
      r.status === 'fulfilled' ? `${r.value.status} ${r.value.text.slice(0, 120)}` : String(r.reason);
    byAnswer.set(answer, [...(byAnswer.get(answer) ?? []), i]);
  });
  return [...byAnswer].map(([answer, [first, ...more]]) =>
    more.length === 0
      ? `request ${first}: ${answer}`
      : `requests ${[first, ...more].slice(0, 3).join(', ')}${more.length > 2 ? ` (${more.length + 1} in all)` : ''}: ${answer}`,
  );
}
