/** Autoscaling the web tier: as many servers as the load needs, within bounds. README: task 4. */

export interface FleetServer {
  id: string;
  url: string;
  /** Graceful stop. */
  close(): Promise<void>;
}

export interface AutoscalerOptions {
  /** Starts one more web server (not yet behind the balancer). */
  startServer(): Promise<FleetServer>;
  balancer: {
    add(id: string, url: string): void;
    /** Resolves when the backend has drained. */
    remove(id: string): Promise<void>;
  };
  min: number;
  max: number;
  /** The load one server should carry, e.g. requests per second. */
  targetPerServer: number;
}

export interface Autoscaler {
  /** Scales to the number of servers this load needs: ceil(load / targetPerServer), within [min, max]. */
  scaleFor(load: number): Promise<void>;
  servers(): string[];
  /** Drains and stops every server. */
  shutdown(): Promise<void>;
}

/** Starts `min` servers behind the balancer, then scales on demand. */
export async function createAutoscaler(options: AutoscalerOptions): Promise<Autoscaler> {
  throw new Error(`TODO (README, task 4): an autoscaler between ${options.min} and ${options.max} servers`);
}
