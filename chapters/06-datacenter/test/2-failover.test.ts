/**
 * Task 2: failover. The geoDNS checks every data center's health on its own; when one goes down, its
 * clients are sent to the other within one check interval, and back when it returns.
 */
import { describe, expect, onTestFinished, test } from 'vitest';
import { until } from '#kit/wait';
import { startGeoDns } from '../src/geo-dns.js';
import { AMERICAS, answered, dnsClient, EU, EUROPE, geoConfig, NAME, query, startSite, US } from './world.js';

const INTERVAL = 100;
/**
 * How long a health check may take. Generous: on a busy machine a healthy stand-in can take more than
 * 100 ms to answer, and a spurious timeout would fail a healthy data center.
 */
const CHECK_TIMEOUT = 1000;
/** One interval plus one check, with room for a busy machine. */
const DEADLINE = 2000;

async function world(checkTimeoutMs = CHECK_TIMEOUT) {
  const us = await startSite(US);
  const eu = await startSite(EU);
  const dns = await startGeoDns({
    ...geoConfig([us, eu]),
    checkIntervalMs: INTERVAL,
    checkTimeoutMs,
  });
  onTestFinished(() => dns.close());
  const americas = () => query(dns.port, NAME, { clientIp: AMERICAS });
  return { us, eu, dns, americas };
}

describe('failover', () => {
  test('when every server of the US data center is down, Americas clients are sent to the EU within one check interval', async () => {
    const { us, americas } = await world();
    expect(
      (await americas()).addresses,
      'both data centers are up: an Americas client is sent to the US one (a healthy data center must pass its check)',
    ).toEqual([US.address]);
    await us.down();
    const took = await until(
      answered(americas, EU.address),
      DEADLINE,
      `the US data center is down (its balancer answers 503, no backend) but the geoDNS still sends the Americas there: check every data center's health URL every checkIntervalMs (${INTERVAL} ms) and skip the unhealthy ones`,
    );
    expect((await americas()).addresses, 'a failed-over answer lists the healthy data center only').toEqual([
      EU.address,
    ]);
    console.log(`failover: the answer moved ${Math.round(took)} ms after the US data center went down`);
  });

  test('when the US data center comes back, its clients return to it', async () => {
    const { us, americas } = await world();
    await us.down();
    await until(answered(americas, EU.address), DEADLINE, 'no failover to the EU');
    await us.up();
    await until(
      answered(americas, US.address),
      DEADLINE,
      'the US data center is healthy again but the Americas are still sent to the EU: keep checking data centers that failed, and send clients back to the nearest healthy one',
    );
  });

  test('a data center that hangs (accepts requests, never answers) counts as down', async () => {
    const { eu, dns } = await world(300);
    eu.hang();
    await until(
      answered(() => query(dns.port, NAME, { clientIp: EUROPE }), US.address),
      DEADLINE,
      `the EU data center accepts health checks but never answers them: a check without a timeout waits forever and keeps sending Europe there; fail a check after checkTimeoutMs (300 ms)`,
    );
  });

  test('the weighted region moves all its clients to the healthy data center', async () => {
    const { us, dns, americas } = await world();
    const clients = Array.from({ length: 40 }, (_, i) => `10.9.${i}.0`);
    const lab = async () => {
      const answers: (string | undefined)[] = [];
      for (const ip of clients) answers.push((await query(dns.port, NAME, { clientIp: ip })).addresses[0]);
      return answers;
    };
    expect(
      (await lab()).filter((a) => a === US.address).length,
      'both data centers are up: the lab region (weights us 80 / eu 20) sends most of its 40 clients to the US',
    ).toBeGreaterThan(20);
    await us.down();
    // Wait on a client outside the weighted region, so that the wait does not depend on how lab clients hash.
    await until(
      answered(americas, EU.address),
      DEADLINE,
      'the US data center is down but the geoDNS still sends the Americas there: no failover',
    );
    const answers = await lab();
    const stillUs = clients.filter((_, i) => answers[i] !== EU.address);
    expect(
      stillUs,
      'weights split the healthy data centers only: these lab clients were still sent to the US data center, which is down',
    ).toEqual([]);
  });

  test('clients that follow DNS see no failed request once their answer has moved', async () => {
    const { us, americas, dns } = await world();
    const client = dnsClient(dns.port, AMERICAS);
    expect((await client.send('/')).json<{ dc: string }>().dc).toBe('us');
    await us.down();
    await until(answered(americas, EU.address), DEADLINE, 'no failover to the EU');
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
