/**
 * Autoscaling the web tier: as many servers as the load needs, within bounds. A server joins the balancer
 * once it runs; a server leaves by draining first (no new requests, the ones in flight finish), and only
 * then stops. Because the tier is stateless, no user notices either.
 */

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

export async function createAutoscaler(options: AutoscalerOptions): Promise<Autoscaler> {
  if (options.min < 1 || options.max < options.min) throw new RangeError('need 1 <= min <= max');
  const fleet: FleetServer[] = [];
  let scaling: Promise<void> = Promise.resolve();

  const grow = async () => {
    const server = await options.startServer();
    fleet.push(server);
    options.balancer.add(server.id, server.url);
  };
  const shrink = async () => {
    // The newest server goes first; it leaves the balancer, drains, and only then stops.
    const server = fleet.pop();
    if (!server) return;
    await options.balancer.remove(server.id);
    await server.close();
  };
  const scaleTo = async (wanted: number) => {
    while (fleet.length < wanted) await grow();
    while (fleet.length > wanted) await shrink();
  };

  await scaleTo(options.min);
  const serially = (work: () => Promise<void>) => {
    scaling = scaling.then(work, work);
    return scaling;
  };
  return {
    scaleFor(load) {
      const wanted = Math.min(options.max, Math.max(options.min, Math.ceil(load / options.targetPerServer)));
      return serially(() => scaleTo(wanted));
    },
    servers: () => fleet.map((s) => s.id),
    shutdown: () => serially(() => scaleTo(0)),
  };
}
