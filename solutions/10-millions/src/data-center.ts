/**
 * One data center (README, task 1): a load balancer (chapter 02) on a fixed port in front of stateless web
 * servers. Its faults are real: a killed web server stops answering at once, a data center taken down
 * closes its balancer, and one brought back listens on the same port again.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createLoadBalancer, type LoadBalancer } from '../../02-load-balancer/src/load-balancer.js';
import type { DataCenterConfig } from './config.js';
import type { Tiers } from './tiers.js';
import { createWebServer } from './web-server.js';

export interface WebServerInfo {
  id: string;
  url: string;
}

export interface DataCenter {
  readonly id: string;
  readonly address: string;
  /** The balancer's URL, e.g. `http://127.0.0.1:41234`: where the public address leads. */
  readonly url: string;
  readonly up: boolean;
  webServers(): WebServerInfo[];
  /** Kills one web server at once; the balancer finds out by itself. It stays listed until replaced. */
  kill(id: string): Promise<boolean>;
  /** Replaces a dead web server by a new one (task 3); undefined when it is no longer there to replace. */
  replace(id: string): Promise<WebServerInfo | undefined>;
  takeDown(): Promise<void>;
  bringUp(): Promise<void>;
  close(): Promise<void>;
}

interface Running {
  info: WebServerInfo;
  app: FastifyInstance<Server>;
  /** Killed: it stays in the fleet's list, not answering, until it is replaced. */
  dead: boolean;
}

const LOOPBACK = '127.0.0.1';

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function shutDown(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

export async function startDataCenter(
  config: DataCenterConfig,
  tiers: Tiers,
  healthIntervalMs: number,
): Promise<DataCenter> {
  let serial = 0;
  const running = new Map<string, Running>();
  let balancer: LoadBalancer;
  let port = 0;
  let up = false;

  const startWebServer = async (): Promise<Running> => {
    const id = `${config.id}/web-${++serial}`;
    const app = await createWebServer(id, tiers);
    const url = `http://${LOOPBACK}:${await listen(app.server, 0)}`;
    const server = { info: { id, url }, app, dead: false };
    running.set(id, server);
    return server;
  };

  const start = async () => {
    const servers = [];
    for (let i = 0; i < config.webServers; i++) servers.push(await startWebServer());
    balancer = createLoadBalancer({
      backends: servers.map((s) => s.info),
      strategy: 'round-robin',
      healthCheck: {
        path: '/health',
        intervalMs: healthIntervalMs,
        timeoutMs: Math.max(healthIntervalMs, 1000),
        healthyThreshold: 1,
        unhealthyThreshold: 1,
      },
      timeoutMs: 5000,
    });
    port = await listen(balancer.server, port);
    up = true;
  };

  const kill = async (id: string) => {
    const server = running.get(id);
    if (!server || server.dead) return false;
    server.dead = true;
    await shutDown(server.app.server);
    return true;
  };

  // Replacing a server, taking the data center down and bringing it up change the same fleet: one at a time.
  let busy: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(change: () => Promise<T>): Promise<T> => {
    const next = busy.then(change);
    busy = next.catch(() => undefined);
    return next;
  };

  const takeDown = () =>
    oneAtATime(async () => {
      if (!up) return;
      up = false;
      await shutDown(balancer.server);
      await balancer.close();
      await Promise.all([...running.keys()].map(kill));
      running.clear();
    });

  await start();
  return {
    id: config.id,
    address: config.address,
    get url() {
      return `http://${LOOPBACK}:${port}`;
    },
    get up() {
      return up;
    },
    webServers: () => [...running.values()].map((s) => s.info),
    kill,
    replace: (id) =>
      oneAtATime(async () => {
        // A server of a data center that went down (or came back with new ones) is no longer to replace.
        if (!up || !running.has(id)) return undefined;
        await kill(id);
        running.delete(id);
        await balancer.removeBackend(id);
        const server = await startWebServer();
        balancer.addBackend(server.info);
        return server.info;
      }),
    takeDown,
    bringUp: () =>
      oneAtATime(async () => {
        if (!up) await start();
      }),
    close: takeDown,
  };
}
