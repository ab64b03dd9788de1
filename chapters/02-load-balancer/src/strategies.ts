/** How the balancer picks a backend for the next request. README: task 2. */

/** A backend as a strategy sees it: its id and how many requests it is serving through this balancer. */
export interface BackendView {
  readonly id: string;
  readonly active: number;
}

export interface Strategy {
  /** Picks one of the candidates (all healthy, none draining), or undefined when there are none. */
  pick<T extends BackendView>(candidates: readonly T[]): T | undefined;
}

/** Each backend in turn. */
export function roundRobin(): Strategy {
  return {
    pick(candidates) {
      throw new Error(`TODO (README, task 2): round-robin over ${candidates.length} backends`);
    },
  };
}

/** The backend with the fewest requests in flight. */
export function leastConnections(): Strategy {
  return {
    pick(candidates) {
      throw new Error(`TODO (README, task 2): least-connections over ${candidates.length} backends`);
    },
  };
}
