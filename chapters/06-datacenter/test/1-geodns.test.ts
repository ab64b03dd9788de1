/**
 * Task 1: the geoDNS. The same name, asked from several regions, gets several answers: each client is sent
 * to the data center nearest to it, read from the EDNS Client Subnet its resolver adds to the query.
 */
import { describe, expect, onTestFinished, test } from 'vitest';
import { resolve } from '#kit/dns';
import { exchange } from '#kit/udp';
import { startGeoDns } from '../src/geo-dns.js';
import {
  AMERICAS,
  AP,
  ASIA,
  answersFor,
  ask,
  EU,
  EUROPE,
  geoConfig,
  labClients,
  NAME,
  NOWHERE,
  ORIGIN,
  startSites,
  US,
} from './world.js';

/**
 * Every site is healthy in these tests: the checks may take long, so that a busy machine, on which a healthy
 * site can answer a check late, never takes one out (task 2's tests time the checks).
 */
async function world(ttl = 5) {
  const sites = await startSites();
  const dns = await startGeoDns({
    ...geoConfig([...sites], ttl),
    checkIntervalMs: 200,
    checkTimeoutMs: 5000,
  });
  onTestFinished(() => dns.close());
  return { dns };
}

describe('geoDNS', () => {
  test('each client is sent to its region’s nearest data center: the Americas to us, Europe to eu, Asia to ap', async () => {
    const { dns } = await world();
    for (const [region, client, dc] of [
      ['the Americas', AMERICAS, US],
      ['Europe', EUROPE, EU],
      ['Asia', ASIA, AP],
    ] as const)
      expect(
        (await ask(dns.port, client)).addresses,
        `a resolver in ${region} (client subnet ${client}/24) must get the ${dc.id} data center's address only: read the EDNS Client Subnet option of the query, and answer its region's prefer[0]`,
      ).toEqual([dc.address]);
    expect(
      (await ask(dns.port, '198.19.200.1')).addresses,
      'Asia is 198.18.0.0/15, which holds 198.19.200.1 too (compare the first 15 bits, not whole octets)',
    ).toEqual([AP.address]);
    expect(
      (await ask(dns.port, '198.17.0.1')).addresses,
      '198.17.0.1 lies outside 198.18.0.0/15 (compare the first 15 bits, not whole octets) and every other region: it gets the fallback order, eu first',
    ).toEqual([EU.address]);
  });

  test('answers carry the configured low TTL, so that a change reaches clients quickly', async () => {
    const { dns } = await world(5);
    const answer = await ask(dns.port, EUROPE);
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.ttls, 'the A record must carry the zone TTL from the geo configuration (5 s)').toEqual([5]);
  });

  test('the answer echoes the client subnet with the source prefix length as its scope, so that resolvers cache it per subnet', async () => {
    const { dns } = await world();
    const answer = await ask(dns.port, EUROPE);
    const echoed = answer.clientSubnet;
    expect(
      echoed,
      'a response to a query with EDNS Client Subnet must carry the option back (RFC 7871), or resolvers treat the answer as good for everyone',
    ).toBeDefined();
    expect(echoed?.ip, 'the echoed option carries the same client subnet').toBe('203.0.113.0');
    expect(echoed?.sourcePrefixLength, 'the echoed option keeps the source prefix length').toBe(24);
    expect(
      echoed?.scopePrefixLength,
      echoed?.scopePrefixLength === 0
        ? 'the echoed option says scope 0, which tells the resolver to give this answer to every client in the world. ' +
            'If you set the scope on a copy of the decoded option ({ ...option, scopePrefixLength }), dns-packet ' +
            'encodes the raw `data` bytes the decoder kept and ignores your fields: build a new option ' +
            '{ code: 8, family, sourcePrefixLength, scopePrefixLength, ip }'
        : 'the scope must be the source prefix length (24): the answer holds for the whole /24 the resolver asked about, no wider and no narrower',
    ).toBe(24);
  });

  test('a client outside every region gets the fallback order; a query without a client subnet is placed by its sender', async () => {
    const { dns } = await world();
    const unknown = await ask(dns.port, NOWHERE);
    expect(
      unknown.addresses,
      `a client in no region (${NOWHERE}) gets the first data center of \`fallback\` (eu, ap, us)`,
    ).toEqual([EU.address]);
    const plain = await ask(dns.port);
    expect(
      plain.addresses,
      'a query without EDNS Client Subnet is placed by the address it came from, the resolver’s: here 127.0.0.1, in the region "here" (127.0.0.0/8), whose nearest data center is ap',
    ).toEqual([AP.address]);
    expect(
      plain.clientSubnet,
      'a query without the Client Subnet option gets no option back (RFC 7871)',
    ).toBeUndefined();
  });

  test('a weighted region splits its clients 80/20, and each client always gets the same answer', async () => {
    const { dns } = await world();
    const clients = labClients(400);
    const first = await answersFor(dns.port, clients);
    const again = await answersFor(dns.port, clients);
    const toUs = first.filter((a) => a === US.address).length / clients.length;
    const split = `expected about 80% of 400 client subnets on us, got ${(toUs * 100).toFixed(1)}%`;
    expect(toUs, `the lab region weighs us 80 and eu 20: ${split}`).toBeGreaterThan(0.72);
    expect(toUs, `the lab region weighs us 80 and eu 20: ${split}`).toBeLessThan(0.88);
    const moved = clients.filter((_, i) => first[i] !== again[i]);
    expect(
      moved,
      'the split must be stable per client (hash the client subnet, do not draw at random): these clients changed data center between two queries',
    ).toEqual([]);
  });

  test('answers like an authoritative server for the rest of the zone, and survives garbage', async () => {
    const { dns } = await world();
    const asked = (name: string, type: 'A' | 'AAAA' = 'A') =>
      resolve(dns.port, name, { clientSubnet: EUROPE, type });
    expect((await asked(`www.${ORIGIN}`)).rcode, 'a name of the zone that has no records').toBe('NXDOMAIN');
    expect((await asked('example.com')).rcode, 'a name outside the zone').toBe('REFUSED');
    const aaaa = await asked(NAME, 'AAAA');
    expect(aaaa.rcode, 'the name exists but has no AAAA record: NOERROR with no answers').toBe('NOERROR');
    expect(aaaa.addresses).toEqual([]);
    const before = (await asked(NAME)).addresses;
    await exchange(dns.port, Buffer.from('not a dns packet at all'), 300).catch(() => undefined);
    expect(
      (await asked(NAME)).addresses,
      'after a broken datagram the server must still answer as before: decode each datagram inside try/catch',
    ).toEqual(before);
  });
});
