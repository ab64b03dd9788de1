/**
 * The fleet of the deploy tests: two data centers of two servers each behind their balancers, traffic
 * through both balancers the whole time, and an installer that records what it did and what it saw.
 */
import http from 'node:http';
import { onTestFinished } from 'vitest';
import { startBalancer, type TestBalancer } from '#kit/balancer';
import { type RunningServer, request, serve } from '#kit/http';
import { pause } from '#kit/wait';
import type { DeployDataCenter, Server } from '../src/deploy.js';

/** How long a server takes to come back after an install: the window in which it cannot serve. */
const RESTART_MS = 30;
/**
 * How long a drain takes after the balancer stopped sending a server new requests: the requests already
 * in flight finishing (here a fixed time, so that a deploy that does not wait for it is caught every time).
 */
const DRAIN_MS = 40;

/** A release of the web server: answers its version; a broken release answers 500 to everything. */
function release(dc: string, id: string, version: string, onFirstHealth = () => {}) {
  let checked = false;
  return http.createServer((req, res) => {
    if (req.url === '/health' && !checked) {
      checked = true;
      onFirstHealth();
    }
    res.writeHead(version.endsWith('-broken') ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ dc, server: id, version }));
  });
}

export const SERVERS = ['us-1', 'us-2', 'eu-1', 'eu-2'];

export interface Install {
  server: string;
  version: string;
  at: number;
  done?: number;
}

/**
 * Starts the fleet, every server on `versions[id]` (default 1.0.0). Installing stops the server and starts
 * the new release on a new port.
 */
export async function fleet(versions: Record<string, string> = {}) {
  const running = new Map<string, RunningServer>();
  const installs: Install[] = [];
  const balancers = new Map<string, TestBalancer>();
  const draining = new Set<string>();
  /** What went wrong around installs: servers that could take traffic while not known to be good. */
  const unsafe: string[] = [];
  const start = async (dc: string, id: string, version: string, installed = false): Promise<Server> => {
    const server = await serve(
      release(dc, id, version, () => {
        if (installed && balancers.get(dc)?.state(id) === 'live')
          unsafe.push(`${id} (${version}) was back in its balancer before its health check`);
      }),
    );
    running.set(id, server);
    return { id, url: server.url };
  };
  /** Each data center as the deploy gets it, and `lb`: its balancer as the test sees it. */
  const dataCenters: (DeployDataCenter & { lb: TestBalancer })[] = [];
  for (const dc of ['us', 'eu']) {
    const balancer = await startBalancer();
    balancers.set(dc, balancer);
    const servers = [];
    for (const n of [1, 2]) {
      const id = `${dc}-${n}`;
      const server = await start(dc, id, versions[id] ?? '1.0.0');
      balancer.add(server.id, server.url);
      servers.push(server);
    }
    // What the deploy is given: the balancer, whose remove() resolves once the server is drained.
    const drainingBalancer = {
      add: (id: string, url: string) => balancer.add(id, url),
      async remove(id: string) {
        draining.add(id);
        try {
          await balancer.remove(id);
          await pause(DRAIN_MS);
        } finally {
          draining.delete(id);
        }
      },
    };
    dataCenters.push({ id: dc, balancer: drainingBalancer, servers, lb: balancer });
  }
  const dcOf = (id: string) => id.split('-')[0] ?? '';
  const install = async (server: Server, version: string): Promise<Server> => {
    const record: Install = { server: server.id, version, at: performance.now() };
    const state = balancers.get(dcOf(server.id))?.state(server.id);
    if (state === 'live' || draining.has(server.id))
      unsafe.push(
        `${server.id} was installed while still ${state === 'live' ? 'in its balancer' : 'draining (remove() had not resolved)'}`,
      );
    installs.push(record);
    await running.get(server.id)?.kill();
    await pause(RESTART_MS);
    const next = await start(dcOf(server.id), server.id, version, true);
    record.done = performance.now();
    return next;
  };

  // Traffic through both balancers during the deploy, one request at a time per data center.
  const failures: string[] = [];
  let served = 0;
  let traffic = true;
  const loops = dataCenters.map(async (dc) => {
    while (traffic) {
      const reply = await request(`${dc.lb.url}/`).catch((e: Error) => e);
      if (reply instanceof Error || reply.status !== 200)
        failures.push(`${dc.id}: ${reply instanceof Error ? reply.message : reply.status}`);
      else served += 1;
    }
  });
  const stopTraffic = async () => {
    traffic = false;
    await Promise.all(loops);
    return { failures, served };
  };
  onTestFinished(async () => {
    traffic = false;
    await Promise.all(loops);
  });
  return {
    dataCenters,
    install,
    installs,
    stopTraffic,
    unsafe,
    /** Every server where it answers now: the fleet's own record of the last install, whatever the deploy keeps. */
    all: (): Server[] => SERVERS.map((id) => ({ id, url: running.get(id)?.url ?? '' })),
  };
}

/** What every server answers on /health right now, asked directly. */
export async function answeredVersions(servers: Server[]) {
  const out: Record<string, string> = {};
  for (const s of servers) {
    const reply = await request(`${s.url}/health`).catch(() => undefined);
    out[s.id] = reply ? reply.json<{ version: string }>().version : 'down';
  }
  return out;
}
