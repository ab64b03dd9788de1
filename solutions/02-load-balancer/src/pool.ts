/**
 * The backends behind the balancer, as the balancer knows them: healthy or not, draining or not, and how
 * many requests each is serving through this balancer right now (what least-connections and draining read).
 */
import { EventEmitter } from 'node:events';
import { type HealthCheckOptions, HealthCounter } from './health.js';
import type { Backend, HealthEvent } from './load-balancer.js';

export interface BackendState {
  readonly id: string;
  readonly url: string;
  /** Requests in flight: from the moment one is sent until the client has the whole answer (or it broke). */
  active: number;
  healthy: boolean;
  draining: boolean;
  /** Passes and failures of the active checks in a row (only with active checks). */
  readonly counter: HealthCounter | undefined;
  /** Set while a drain waits for `active` to reach zero. */
  drained: (() => void) | undefined;
}

export type Pool = ReturnType<typeof createPool>;

export function createPool(healthCheck: HealthCheckOptions | undefined) {
  const backends = new Map<string, BackendState>();
  const events = new EventEmitter();

  return {
    events,
    add(backend: Backend): void {
      backends.set(backend.id, {
        id: backend.id,
        url: backend.url,
        active: 0,
        healthy: true,
        draining: false,
        counter: healthCheck ? new HealthCounter(healthCheck) : undefined,
        drained: undefined,
      });
    },

    all: (): BackendState[] => [...backends.values()],

    /** The backends that may get a new request (healthy, not draining), minus those already tried. */
    candidates: (exclude: ReadonlySet<string> = new Set()): BackendState[] =>
      [...backends.values()].filter((b) => b.healthy && !b.draining && !exclude.has(b.id)),

    /** Changes a verdict and reports it; a verdict that does not change is not news. */
    setHealth(backend: BackendState, healthy: boolean, reason: string): void {
      if (backend.healthy === healthy) return;
      backend.healthy = healthy;
      // Whoever changed the verdict (a check or a failed request), the counting in a row starts over.
      backend.counter?.reset();
      events.emit('health', { backend: backend.id, healthy, reason } satisfies HealthEvent);
    },

    /** Counts one request in flight on the backend; the function returned ends it (once). */
    begin(backend: BackendState): () => void {
      backend.active += 1;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        backend.active -= 1;
        if (backend.active === 0) backend.drained?.();
      };
    },

    /** Takes the backend out of rotation at once; resolves when its last request in flight has ended. */
    async drain(id: string): Promise<void> {
      const backend = backends.get(id);
      if (!backend) return;
      backend.draining = true;
      if (backend.active > 0) {
        await new Promise<void>((resolve) => {
          backend.drained = resolve;
        });
      }
      backends.delete(id);
    },
  };
}
