/**
 * Task 1: the geoDNS. The same name, asked from two regions, gets two answers: each client is sent to the
 * data center nearest to it, read from the EDNS Client Subnet its resolver adds to the query.
 */
import { describe, expect, onTestFinished, test } from 'vitest';
import { exchange } from '#kit/udp';
import { startGeoDns } from '../src/geo-dns.js';
import { AMERICAS, EU, EUROPE, geoConfig, NAME, ORIGIN, query, startSite, US } from './world.js';

async function world(ttl = 5) {
  const us = await startSite(US);
  const eu = await startSite(EU);
  const dns = await startGeoDns({ ...geoConfig([us, eu], ttl), checkIntervalMs: 200, checkTimeoutMs: 1000 });
  onTestFinished(() => dns.close());
  return { us, eu, dns };
}

describe('geoDNS', () => {
  test('a client in the Americas is sent to the US data center, a client in Europe to the EU one', async () => {
    const { dns } = await world();
    const americas = await query(dns.port, NAME, { clientIp: AMERICAS });
    const europe = await query(dns.port, NAME, { clientIp: EUROPE });
    expect(
      americas.addresses,
      `a resolver in the Americas (client subnet ${AMERICAS}/24) must get the US data center's address only`,
    ).toEqual([US.address]);
    expect(
      europe.addresses,
      `a resolver in Europe (client subnet ${EUROPE}/24) must get the EU data center's address only: read the EDNS Client Subnet option of the query`,
    ).toEqual([EU.address]);
  });

  test('answers carry the configured low TTL, so that a change reaches clients quickly', async () => {
    const { dns } = await world(5);
    const answer = await query(dns.port, NAME, { clientIp: EUROPE });
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.ttls, 'the A record must carry the zone TTL from the geo configuration (5 s)').toEqual([5]);
  });

  test('the answer echoes the client subnet with a scope, so that resolvers cache it per subnet', async () => {
    const { dns } = await world();
    const answer = await query(dns.port, NAME, { clientIp: EUROPE });
    expect(
      answer.ecs,
      'a response to a query with EDNS Client Subnet must carry the option back (RFC 7871), or resolvers treat the answer as good for everyone',
    ).toBeDefined();
    expect(answer.ecs?.ip, 'the echoed option carries the same client subnet').toBe('203.0.113.0');
    expect(answer.ecs?.sourcePrefixLength, 'the echoed option keeps the source prefix length').toBe(24);
    expect(
      answer.ecs?.scopePrefixLength,
      'the scope prefix length says which clients the answer is good for; 0 would tell the resolver to give this answer to every client in the world',
    ).toBeGreaterThan(0);
  });

  test('a client outside every region, or a query without a client subnet, gets the fallback data center', async () => {
    const { dns } = await world();
    const unknown = await query(dns.port, NAME, { clientIp: '192.168.44.1' });
    const plain = await query(dns.port, NAME);
    expect(
      unknown.addresses,
      'a client in no region gets the first healthy data center of `fallback`',
    ).toEqual([US.address]);
    expect(
      plain.addresses,
      'a query without EDNS Client Subnet comes from 127.0.0.1, which is in no region: the fallback again',
    ).toEqual([US.address]);
  });

  test('a weighted region splits its clients 80/20, and each client always gets the same answer', async () => {
    const { dns } = await world();
    const clients = Array.from({ length: 400 }, (_, i) => `10.${(i >> 8) + 1}.${i & 255}.0`);
    const ask = async () => {
      const answers: Awaited<ReturnType<typeof query>>[] = [];
      for (const ip of clients) answers.push(await query(dns.port, NAME, { clientIp: ip }));
      return answers;
    };
    const first = await ask();
    const again = await ask();
    const toUs = first.filter((a) => a.addresses[0] === US.address).length / clients.length;
    expect(
      toUs,
      `the lab region weighs us 80 and eu 20: expected about 80% of 400 client subnets on us, got ${(toUs * 100).toFixed(1)}%`,
    ).toBeGreaterThan(0.72);
    expect(
      toUs,
      `the lab region weighs us 80 and eu 20: expected about 80% of 400 client subnets on us, got ${(toUs * 100).toFixed(1)}%`,
    ).toBeLessThan(0.88);
    const moved = clients.filter((_, i) => first[i]?.addresses[0] !== again[i]?.addresses[0]);
    expect(
      moved,
      'the split must be stable per client (hash the client subnet, do not draw at random): these clients changed data center between two queries',
    ).toEqual([]);
  });

  test('answers like an authoritative server for the rest of the zone, and survives garbage', async () => {
    const { dns } = await world();
    expect(
      (await query(dns.port, `www.${ORIGIN}`, { clientIp: EUROPE })).rcode,
      'a name of the zone that has no records',
    ).toBe('NXDOMAIN');
    expect(
      (await query(dns.port, 'example.com', { clientIp: EUROPE })).rcode,
      'a name outside the zone',
    ).toBe('REFUSED');
    const aaaa = await query(dns.port, NAME, { clientIp: EUROPE, type: 'AAAA' });
    expect(aaaa.rcode, 'the name exists but has no AAAA record: NOERROR with no answers').toBe('NOERROR');
    expect(aaaa.addresses).toEqual([]);
    const before = (await query(dns.port, NAME, { clientIp: EUROPE })).addresses;
    await exchange(dns.port, Buffer.from('not a dns packet at all'), 300).catch(() => undefined);
    expect(
      (await query(dns.port, NAME, { clientIp: EUROPE })).addresses,
      'after a broken datagram the server must still answer as before: decode each datagram inside try/catch',
    ).toEqual(before);
  });
});
