/** How the balancer picks a backend for the next request. README: task 2. */

/** A backend as a strategy sees it: its id and how many requests it is serving through this balancer. */
export interface BackendView {
  readonly id: string;
  readonly active: number;
}

export interface Strategy {
  /** Picks one of the candidates (all healthy, none draining), or undefined when there are none. */
  pick(candidates: readonly BackendView[]): BackendView | undefined;
}

/** Each backend in turn. */
export function roundRobin(): Strategy {
  throw new Error('TODO (README, task 2): round-robin');
}

/** The backend with the fewest requests in flight. */
export function leastConnections(): Strategy {
  throw new Error('TODO (README, task 2): least-connections');
}
