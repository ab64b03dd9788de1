/** How the balancer picks a backend for the next request. Both strategies see the same view of the pool. */

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
  let next = 0;
  return {
    pick(candidates) {
      if (candidates.length === 0) return undefined;
      const chosen = candidates[next % candidates.length];
      next = (next + 1) % Number.MAX_SAFE_INTEGER;
      return chosen;
    },
  };
}

/** The backend with the fewest requests in flight; ties go round-robin, so an idle pool is still shared. */
export function leastConnections(): Strategy {
  const tieBreak = roundRobin();
  return {
    pick(candidates) {
      if (candidates.length === 0) return undefined;
      const fewest = Math.min(...candidates.map((c) => c.active));
      return tieBreak.pick(candidates.filter((c) => c.active === fewest));
    },
  };
}
