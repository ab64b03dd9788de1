/**
 * Task 4: test and deploy across data centers. A rolling deploy upgrades every server of every data center
 * one at a time, only while the last one passed its health check, and rolls everything back when one fails;
 * a skew report says which servers run which version; synthetic probes check the service from each region.
 */
import http from 'node:http';
import { describe, expect, onTestFinished, test } from 'vitest';
import { startBalancer, type TestBalancer } from '#kit/balancer';
import { type RunningServer, request, serve } from '#kit/http';
import { within } from '#kit/wait';
import { type DeployDataCenter, rollingDeploy, type Server, versionSkew } from '../src/deploy.js';
import { startGeoDns } from '../src/geo-dns.js';
import { runProbes } from '../src/probes.js';
import { AMERICAS, EU, EUROPE, geoConfig, NAME, route, startSite, US } from './world.js';

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

/** How long a server takes to come back after an install: the window in which it cannot serve. */
const RESTART_MS = 30;

/**
 * Two data centers of two servers each on version 1.0.0, behind their balancers, and an installer that
 * records what it did. Installing stops the server and starts the new release (on a new port).
 */
async function fleet() {
  const running = new Map<string, RunningServer>();
  const versions = new Map<string, string>();
  const installs: { server: string; version: string; at: number; done?: number }[] = [];
  const balancers = new Map<string, TestBalancer>();
  /** Installed servers that were already taking traffic when their first health check arrived. */
  const liveAtCheck: string[] = [];
  const start = async (dc: string, id: string, version: string, installed = false): Promise<Server> => {
    const server = await serve(
      release(dc, id, version, () => {
        if (installed && balancers.get(dc)?.state(id) === 'live') liveAtCheck.push(`${id} (${version})`);
      }),
    );
    running.set(id, server);
    versions.set(id, version);
    return { id, url: server.url };
  };
  const dataCenters: (DeployDataCenter & { balancer: TestBalancer })[] = [];
  for (const dc of ['us', 'eu']) {
    const balancer = await startBalancer();
    balancers.set(dc, balancer);
    const servers = [];
    for (const n of [1, 2]) {
      const server = await start(dc, `${dc}-${n}`, '1.0.0');
      balancer.add(server.id, server.url);
      servers.push(server);
    }
    dataCenters.push({ id: dc, balancer, servers });
  }
  const dcOf = (id: string) => id.split('-')[0] ?? '';
  const install = async (server: Server, version: string): Promise<Server> => {
    const record: (typeof installs)[number] = { server: server.id, version, at: performance.now() };
    if (balancers.get(dcOf(server.id))?.state(server.id) === 'live')
      liveAtCheck.push(`${server.id} was installed while still in its balancer`);
    installs.push(record);
    await running.get(server.id)?.kill();
    await new Promise((resolve) => setTimeout(resolve, RESTART_MS));
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
      const reply = await request(`${dc.balancer.url}/`).catch((e: Error) => e);
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
    versions,
    stopTraffic,
    liveAtCheck,
    /** Every server where it answers now: the fleet's own record of the last install, whatever the deploy keeps. */
    all: (): Server[] =>
      dataCenters
        .flatMap((d) => ['1', '2'].map((n) => `${d.id}-${n}`))
        .map((id) => ({
          id,
          url: running.get(id)?.url ?? '',
        })),
  };
}

/** What every server answers on /health right now, asked directly. */
async function answeredVersions(servers: Server[]) {
  const out: Record<string, string> = {};
  for (const s of servers) {
    const reply = await request(`${s.url}/health`).catch(() => undefined);
    out[s.id] = reply ? reply.json<{ version: string }>().version : 'down';
  }
  return out;
}

describe('rolling deploy', () => {
  test('upgrades every server of every data center, one at a time, with no failed request', async () => {
    const f = await fleet();
    const report = await within(
      rollingDeploy({ dataCenters: f.dataCenters, version: '2.0.0', install: f.install }),
      10_000,
      'the deploy did not finish',
    );
    const liveAtCheck = [...f.liveAtCheck];
    const traffic = await f.stopTraffic();
    expect(report.ok, `a deploy whose every check passed reports ok: ${JSON.stringify(report)}`).toBe(true);
    expect([...report.upgraded].sort()).toEqual(['eu-1', 'eu-2', 'us-1', 'us-2']);
    expect(
      Object.values(await answeredVersions(f.all())),
      'after the deploy every server answers version 2.0.0',
    ).toEqual(['2.0.0', '2.0.0', '2.0.0', '2.0.0']);
    const overlapping = f.installs.filter((a, i) =>
      f.installs.some((b, j) => j < i && (b.done ?? Number.POSITIVE_INFINITY) > a.at),
    );
    expect(
      overlapping.map((o) => o.server),
      'install one server at a time: these installs started before the previous one had finished',
    ).toEqual([]);
    expect(
      liveAtCheck,
      'servers took traffic while not known to be good (installed while still in the balancer, or added back before their check): remove (drain) a server before install, and add it back only after its check passed',
    ).toEqual([]);
    expect(traffic.served, 'traffic kept flowing through both balancers during the deploy').toBeGreaterThan(
      10,
    );
    expect(
      traffic.failures,
      `requests failed during the deploy (of ${traffic.served + traffic.failures.length}): take a server out of its balancer (remove drains it) before installing, and add it back after its check passed`,
    ).toEqual([]);
    for (const dc of f.dataCenters)
      expect(
        dc.balancer.ids().sort(),
        `after the deploy every server of ${dc.id} is back in its balancer`,
      ).toEqual([`${dc.id}-1`, `${dc.id}-2`]);
  });

  test('a failed health check stops the deploy and rolls every upgraded server back', async () => {
    const f = await fleet();
    // The first data center upgrades well; the new release fails its check in the second.
    const install = (server: Server, version: string) =>
      f.install(server, version === '2.0.0' && server.id.startsWith('eu') ? '2.0.0-broken' : version);
    const report = await within(
      rollingDeploy({ dataCenters: f.dataCenters, version: '2.0.0', install }),
      10_000,
      'the deploy did not finish',
    );
    const liveAtCheck = [...f.liveAtCheck];
    const traffic = await f.stopTraffic();
    expect(report.ok, 'the new release failed its health check in eu: the deploy must report failure').toBe(
      false,
    );
    expect(report.failed?.server, 'the report names the server whose check failed').toBe('eu-1');
    expect(
      f.installs.some((i) => i.server === 'eu-2'),
      'after eu-1 failed its check the deploy must stop: eu-2 was still installed',
    ).toBe(false);
    expect(
      await answeredVersions(f.all()),
      'after a failed deploy every server must run the previous release again (1.0.0), those upgraded before the failure included',
    ).toEqual({ 'us-1': '1.0.0', 'us-2': '1.0.0', 'eu-1': '1.0.0', 'eu-2': '1.0.0' });
    expect([...report.rolledBack].sort(), 'the report lists the servers rolled back').toEqual(
      expect.arrayContaining(['us-1', 'us-2']),
    );
    expect(traffic.failures, 'no request may fail during a deploy and its rollback').toEqual([]);
    expect(
      liveAtCheck,
      'a server took traffic before its health check: a broken release must never be in the balancer',
    ).toEqual([]);
    for (const dc of f.dataCenters)
      expect(
        dc.balancer.ids().sort(),
        `after the rollback every server of ${dc.id} is back in its balancer`,
      ).toEqual([`${dc.id}-1`, `${dc.id}-2`]);
  });

  test('a server that comes back on the wrong version fails its check', async () => {
    const f = await fleet();
    const install = (server: Server, version: string) =>
      f.install(server, version === '2.0.0' ? '1.9.9' : version);
    const report = await rollingDeploy({ dataCenters: f.dataCenters, version: '2.0.0', install });
    await f.stopTraffic();
    expect(
      report.ok,
      'the server answered 200 but with version 1.9.9 after installing 2.0.0: a check must compare the version too',
    ).toBe(false);
    expect(Object.values(await answeredVersions(f.all()))).toEqual(['1.0.0', '1.0.0', '1.0.0', '1.0.0']);
  });
});

describe('version skew', () => {
  test('reports which servers run which version, and those that do not answer', async () => {
    const f = await fleet();
    await f.stopTraffic();
    const even = await versionSkew(f.all());
    expect(even.skewed, 'every server runs 1.0.0: no skew').toBe(false);
    expect(even.versions).toEqual({ '1.0.0': expect.arrayContaining(['us-1', 'us-2', 'eu-1', 'eu-2']) });

    const dead = { id: 'us-9', url: 'http://127.0.0.1:9' };
    const withDead = await versionSkew([...f.all(), dead]);
    expect(
      withDead.skewed,
      'every server that answers runs 1.0.0; one does not answer: that is an unreachable server, not a second version',
    ).toBe(false);
    expect(Object.keys(withDead.versions), 'versions lists only versions that servers answered').toEqual([
      '1.0.0',
    ]);
    expect(
      withDead.unreachable,
      'a server that does not answer its health check is listed as unreachable',
    ).toEqual(['us-9']);

    const eu = f.dataCenters[1] as DeployDataCenter;
    eu.servers[0] = await f.install(eu.servers[0] as Server, '2.0.0');
    const skew = await versionSkew([...f.all(), dead]);
    expect(skew.skewed, 'eu-1 runs 2.0.0 while the rest run 1.0.0: that is version skew').toBe(true);
    expect(skew.versions['2.0.0'], 'the report says who runs the new version').toEqual(['eu-1']);
    expect([...(skew.versions['1.0.0'] ?? [])].sort()).toEqual(['eu-2', 'us-1', 'us-2']);
    expect(
      skew.unreachable,
      'a server that does not answer its health check is listed as unreachable',
    ).toEqual(['us-9']);
  });
});

describe('synthetic probes', () => {
  test('probe the service from each region, and see a data center go down before the geoDNS does', async () => {
    const us = await startSite(US);
    const eu = await startSite(EU);
    // Checks far apart: the geoDNS has not noticed the outage when the probes run.
    const dns = await startGeoDns({ ...geoConfig([us, eu]), checkIntervalMs: 60_000 });
    onTestFinished(() => dns.close());
    const regions = [
      { name: 'americas', clientIp: AMERICAS },
      { name: 'europe', clientIp: EUROPE },
    ];
    const probe = () =>
      runProbes({ dnsPort: dns.port, name: NAME, regions, connect: route, timeoutMs: 1000 });

    const healthy = await probe();
    expect(
      healthy.map((r) => [r.region, r.servedBy, r.ok]),
      'each region is served by its nearest data center',
    ).toEqual([
      ['americas', 'us', true],
      ['europe', 'eu', true],
    ]);
    expect(healthy.map((r) => r.address)).toEqual([US.address, EU.address]);

    await eu.down();
    const outage = await probe();
    const europe = outage.find((r) => r.region === 'europe');
    expect(
      europe?.ok,
      'the EU data center is down: a probe from Europe, which still resolves to it, must report a failure',
    ).toBe(false);
    expect(europe?.address).toBe(EU.address);
    expect(europe?.error, 'a failed probe says why').toBeTruthy();
    expect(outage.find((r) => r.region === 'americas')?.ok, 'the Americas are still fine').toBe(true);
  });
});
