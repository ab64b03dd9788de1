/**
 * Task 2: failover. The geoDNS checks every data center's health on its own; when one goes down, its
 * clients are sent to the next data center of their own region's list within one check interval, and back
 * when it returns.
 */
import { describe, expect, onTestFinished, test } from 'vitest';
import { until } from '#kit/wait';
import { startGeoDns } from '../src/geo-dns.js';
import {
  AMERICAS,
  AP,
  ASIA,
  answered,
  answersFor,
  ask,
  dnsClient,
  EU,
  EUROPE,
  geoConfig,
  labClients,
  NOWHERE,
  startSites,
  US,
} from './world.js';

const INTERVAL = 100;
/**
 * How long a health check may take. Generous: on a busy machine a healthy stand-in can take more than
 * 100 ms to answer, and a spurious timeout would fail a healthy data center.
 */
const CHECK_TIMEOUT = 1000;
/** One interval plus one check, with room for a busy machine. */
const DEADLINE = 2000;

async function world(checkTimeoutMs = CHECK_TIMEOUT) {
  const [us, eu, ap] = await startSites();
  const dns = await startGeoDns({
    ...geoConfig([us, eu, ap]),
    checkIntervalMs: INTERVAL,
    checkTimeoutMs,
  });
  onTestFinished(() => dns.close());
  return { us, eu, ap, dns, port: dns.port };
}

describe('failover', () => {
  test('when every server of the US data center is down, Americas clients are sent to the EU within one check interval', async () => {
    const { us, port } = await world();
    expect(
      (await ask(port, AMERICAS)).addresses,
      'every data center is up: an Americas client is sent to the US one (a healthy data center must pass its check)',
    ).toEqual([US.address]);
    await us.down();
    const took = await until(
      answered(port, AMERICAS, EU.address),
      DEADLINE,
      `the US data center is down (its balancer answers 503, no backend) but the geoDNS does not send the Americas to eu, the next of their list (us, eu, ap): check every data center's health URL every checkIntervalMs (${INTERVAL} ms) and skip the unhealthy ones`,
    );
    expect(
      (await ask(port, AMERICAS)).addresses,
      'a failed-over answer lists the healthy data center only',
    ).toEqual([EU.address]);
    console.log(`failover: the answer moved ${Math.round(took)} ms after the US data center went down`);
  });

  test('clients of a data center that is down go to the next of their own region’s list, not the first healthy one of the configuration', async () => {
    const { eu, port } = await world();
    await eu.down();
    const moved = answered(port, EUROPE, AP.address);
    await until(
      moved,
      DEADLINE,
      () =>
        `the EU data center is down: Europe prefers eu, ap, us, so its clients go to ap; the geoDNS answers ${moved.last()} (walk the region's prefer list in order, skipping the data centers that failed their check; us is first in the configuration, not in Europe's list)`,
    );
    expect(
      (await ask(port, NOWHERE)).addresses,
      'a client in no region follows `fallback` (eu, ap, us) the same way: with eu down, ap',
    ).toEqual([AP.address]);
    expect(
      (await ask(port, ASIA)).addresses,
      'Asia prefers ap, which is up: it keeps its own data center',
    ).toEqual([AP.address]);
    expect((await ask(port, AMERICAS)).addresses, 'the Americas keep us').toEqual([US.address]);
  });

  test('when the US data center comes back, its clients return to it', async () => {
    const { us, port } = await world();
    await us.down();
    await until(answered(port, AMERICAS, EU.address), DEADLINE, 'no failover to the EU');
    await us.up();
    await until(
      answered(port, AMERICAS, US.address),
      DEADLINE,
      'the US data center is healthy again but the Americas are still sent elsewhere: keep checking data centers that failed, and send clients back to the nearest healthy one',
    );
  });

  test('a data center that hangs (accepts requests, never answers) counts as down', async () => {
    const { eu, port } = await world(300);
    eu.hang();
    await until(
      answered(port, EUROPE, AP.address),
      DEADLINE,
      `the EU data center accepts health checks but never answers them: a check without a timeout waits forever and keeps sending Europe there; fail a check after checkTimeoutMs (300 ms)`,
    );
  });

  test('a check fails on anything but a 200: a data center whose health URL answers 404 counts as down', async () => {
    const { ap, port } = await world();
    ap.answer(404);
    const moved = answered(port, ASIA, EU.address);
    await until(
      moved,
      DEADLINE,
      () =>
        `the AP data center answers 404 to its health check, and the geoDNS still answers Asia ${moved.last()}: a check passes on a 200 only (not on any answer, nor on anything below 500); Asia's next is eu`,
    );
  });

  test('the weighted region moves all its clients to the healthy data center', async () => {
    const { us, port } = await world();
    const clients = labClients(40, 9);
    expect(
      (await answersFor(port, clients)).filter((a) => a === US.address).length,
      'every data center is up: the lab region (weights us 80 / eu 20) sends most of its 40 clients to the US',
    ).toBeGreaterThan(20);
    await us.down();
    // Wait on a client outside the weighted region, so that the wait does not depend on how lab clients hash.
    await until(
      answered(port, AMERICAS, EU.address),
      DEADLINE,
      'the US data center is down but the geoDNS still sends the Americas there: no failover',
    );
    const answers = await answersFor(port, clients);
    const elsewhere = clients.filter((_, i) => answers[i] !== EU.address);
    expect(
      elsewhere,
      'weights split the healthy data centers only: with us down, every lab client goes to eu (the only healthy one of its weights); these did not',
    ).toEqual([]);
  });

  test('when every data center fails its checks, the geoDNS fails open: it answers as if all were healthy', async () => {
    const { us, eu, ap, port } = await world();
    // One at a time, each seen by the checks, so that the last one down is an event too.
    await us.down();
    await until(answered(port, AMERICAS, EU.address), DEADLINE, 'no failover of the Americas to eu');
    await eu.down();
    await until(answered(port, AMERICAS, AP.address), DEADLINE, 'no failover of the Americas to ap');
    await ap.down();
    const open = answered(port, AMERICAS, US.address);
    await until(
      open,
      DEADLINE,
      () =>
        `every data center now fails its checks, and the geoDNS answers the Americas ${open.last()}: fail open, answer as if every data center were healthy (the Americas get us again)`,
    );
    const clients = labClients(100, 20);
    expect(
      [
        (await ask(port, AMERICAS)).addresses,
        (await ask(port, EUROPE)).addresses,
        (await ask(port, ASIA)).addresses,
      ],
      'every data center failed its checks: more likely the checks are broken than all data centers at once. Fail open: answer as if every one were healthy, each region its nearest',
    ).toEqual([[US.address], [EU.address], [AP.address]]);
    const answers = await answersFor(port, clients);
    expect(
      answers.filter((a) => a === EU.address).length,
      'failing open keeps the weighted split too: some of 100 lab clients must still get eu (weight 20)',
    ).toBeGreaterThan(0);
  });

  test('clients that follow DNS see no failed request once their answer has moved', async () => {
    const { us, port } = await world();
    const client = dnsClient(port, AMERICAS);
    expect((await client.send('/')).json<{ dc: string }>().dc).toBe('us');
    await us.down();
    await until(answered(port, AMERICAS, EU.address), DEADLINE, 'no failover to the EU');
    client.expire();
    const statuses = [];
    for (let i = 0; i < 30; i += 1) {
      const reply = await client.send('/').catch(() => undefined);
      statuses.push(reply ? `${reply.status} ${reply.json<{ dc: string }>().dc}` : 'connection failed');
    }
    const failed = statuses.filter((s) => s !== '200 eu');
    expect(
      failed,
      'after the failover every request of a client that re-resolved must reach the healthy EU data center: the geoDNS must not flap back to a data center that is down',
    ).toEqual([]);
  });
});
