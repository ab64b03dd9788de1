/**
 * Task 4: test and deploy across data centers. A rolling deploy upgrades every server of every data center
 * one at a time, only while the last one passed its health check, and rolls back what it upgraded when one
 * fails; a skew report says which servers run which version; synthetic probes check the service from each
 * region.
 */
import { describe, expect, onTestFinished, test } from 'vitest';
import { step } from '#kit/wait';
import { type DeployDataCenter, rollingDeploy, type Server, versionSkew } from '../src/deploy.js';
import { startGeoDns } from '../src/geo-dns.js';
import { runProbes } from '../src/probes.js';
import { answeredVersions, fleet, SERVERS } from './fleet.js';
import { AMERICAS, ASIA, EUROPE, geoConfig, NAME, route, startSites } from './world.js';

describe('rolling deploy', () => {
  test('upgrades every server of every data center, one at a time, drained before and checked after, with no failed request', async () => {
    const f = await fleet();
    const report = await step(
      'the deploy did not finish',
      rollingDeploy({ dataCenters: f.dataCenters, version: '2.0.0', install: f.install }),
    );
    const unsafe = [...f.unsafe];
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
      unsafe,
      'servers could take traffic while not known to be good: await remove() (it resolves when the server is drained) before install, and add the server back only after its check passed',
    ).toEqual([]);
    expect(traffic.served, 'traffic kept flowing through both balancers during the deploy').toBeGreaterThan(
      4,
    );
    expect(
      traffic.failures,
      `requests failed during the deploy (of ${traffic.served + traffic.failures.length}): take a server out of its balancer (remove drains it) before installing, and add it back after its check passed`,
    ).toEqual([]);
    for (const dc of f.dataCenters)
      expect(dc.lb.ids().sort(), `after the deploy every server of ${dc.id} is back in its balancer`).toEqual(
        [`${dc.id}-1`, `${dc.id}-2`],
      );
  });

  test('a failed health check stops the deploy and puts back exactly the servers it touched, each on the version it ran', async () => {
    // Each server runs its own patch release, so that a rollback must remember what each one ran.
    const before = { 'us-1': '1.0.0', 'us-2': '1.0.1', 'eu-1': '1.0.2', 'eu-2': '1.0.3' };
    const f = await fleet(before);
    // The third server to get the new release fails its check, whatever order the deploy takes.
    let fresh = 0;
    const install = (server: Server, version: string) => {
      if (version === '2.0.0') fresh += 1;
      return f.install(server, version === '2.0.0' && fresh === 3 ? '2.0.0-broken' : version);
    };
    const report = await step(
      'the deploy did not finish',
      rollingDeploy({ dataCenters: f.dataCenters, version: '2.0.0', install }),
    );
    const unsafe = [...f.unsafe];
    const traffic = await f.stopTraffic();
    const order = f.installs.filter((i) => i.version.startsWith('2.0.0')).map((i) => i.server);
    expect(report.ok, 'the new release failed its health check: the deploy must report failure').toBe(false);
    expect(
      order,
      `after the third server failed its check the deploy must stop: the new release was installed on ${order.join(', ')}`,
    ).toHaveLength(3);
    const [failed] = order.slice(2);
    const touched = order.slice(0, 2);
    expect(report.failed?.server, 'the report names the server whose check failed').toBe(failed);
    expect(report.failed?.reason, 'the report says why the check failed').toBeTruthy();
    expect(report.upgraded, 'the report lists the servers upgraded before the failure, in order').toEqual(
      touched,
    );
    expect(
      [...report.rolledBack].filter((id) => id !== failed).sort(),
      `the report lists as rolled back the servers that were upgraded (${touched.join(', ')}), no more and no fewer`,
    ).toEqual([...touched].sort());
    expect(
      await answeredVersions(f.all()),
      'after a failed deploy every server it touched runs again the version it ran before (each its own), and the others were never touched',
    ).toEqual(before);
    expect(traffic.failures, 'no request may fail during a deploy and its rollback').toEqual([]);
    expect(
      unsafe,
      'a server could take traffic while not known to be good (a broken release must never be in the balancer)',
    ).toEqual([]);
    for (const dc of f.dataCenters)
      expect(
        dc.lb.ids().sort(),
        `after the rollback every server of ${dc.id} is back in its balancer`,
      ).toEqual([`${dc.id}-1`, `${dc.id}-2`]);
  });

  test('a server that comes back on the wrong version fails its check', async () => {
    const f = await fleet();
    const install = (server: Server, version: string) =>
      f.install(server, version === '2.0.0' ? '1.9.9' : version);
    const report = await step(
      'the deploy did not finish',
      rollingDeploy({ dataCenters: f.dataCenters, version: '2.0.0', install }),
    );
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
    expect(even.versions).toEqual({ '1.0.0': expect.arrayContaining(SERVERS) });

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
    const [us, eu, ap] = await startSites();
    // Checks far apart: the geoDNS has not noticed the outage when the probes run.
    const dns = await startGeoDns({ ...geoConfig([us, eu, ap]), checkIntervalMs: 60_000 });
    onTestFinished(() => dns.close());
    const regions = [
      { name: 'americas', clientIp: AMERICAS },
      { name: 'europe', clientIp: EUROPE },
      { name: 'asia', clientIp: ASIA },
    ];
    const probe = (timeoutMs = 1000) =>
      step(
        `the probes did not finish within 3 s: a probe with no answer within timeoutMs (${timeoutMs} ms) must fail, not wait for ever`,
        runProbes({ dnsPort: dns.port, name: NAME, regions, connect: route, timeoutMs }),
        3000,
      );

    const healthy = await probe();
    expect(
      healthy.map((r) => [r.region, r.servedBy, r.ok]),
      'each region is served by its nearest data center',
    ).toEqual([
      ['americas', 'us', true],
      ['europe', 'eu', true],
      ['asia', 'ap', true],
    ]);
    expect(healthy.map((r) => r.address)).toEqual([us.address, eu.address, ap.address]);

    await eu.down();
    const outage = await probe();
    const europe = outage.find((r) => r.region === 'europe');
    expect(
      europe?.ok,
      'the EU data center is down: a probe from Europe, which still resolves to it, must report a failure',
    ).toBe(false);
    expect(europe?.address).toBe(eu.address);
    expect(europe?.error, 'a failed probe says why').toBeTruthy();
    expect(outage.find((r) => r.region === 'americas')?.ok, 'the Americas are still fine').toBe(true);

    ap.hang();
    const hung = await probe(300);
    const asia = hung.find((r) => r.region === 'asia');
    expect(
      asia?.ok,
      'the AP data center accepts requests and never answers: a probe from Asia must fail after timeoutMs (300 ms), not wait for ever',
    ).toBe(false);
    expect(asia?.error, 'a failed probe says why').toBeTruthy();
  });
});
