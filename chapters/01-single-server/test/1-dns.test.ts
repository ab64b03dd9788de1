/**
 * Task 1 — DNS. Users reach the service by name; the DNS server answers which IP address that name has.
 * These tests ask your server over real UDP, through Node's own resolver, as any client would.
 */
import { Resolver } from 'node:dns/promises';
import dnsPacket from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { exchange, send } from '#kit/udp';
import { type DnsServer, startDnsServer } from '../src/dns-server.js';
import { lookup, type Zone } from '../src/zone.js';

const zone: Zone = {
  origin: 'photos.test',
  ttl: 300,
  records: [
    { name: 'www', address: '127.0.0.1' },
    { name: 'api', address: '127.0.0.1', ttl: 60 },
  ],
};

let server: DnsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function resolverFor(z: Zone): Promise<Resolver> {
  server = await startDnsServer(z);
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${server.port}`]);
  return resolver;
}

/** The error code Node's resolver reports: ENOTFOUND is NXDOMAIN, EREFUSED is REFUSED, ENODATA is "no such type". */
async function errorCode(query: Promise<unknown>): Promise<string> {
  try {
    const answer = await query;
    return `no error: it answered ${JSON.stringify(answer)}`;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('DNS: the authoritative server for photos.test', () => {
  it('answers A queries for www and api with the address and TTL from the zone', async () => {
    const resolver = await resolverFor(zone);
    expect(
      await resolver.resolve4('www.photos.test', { ttl: true }),
      'www.photos.test should resolve to its A record, with the zone default TTL (300 s)',
    ).toEqual([{ address: '127.0.0.1', ttl: 300 }]);
    expect(
      await resolver.resolve4('api.photos.test', { ttl: true }),
      'api.photos.test has its own TTL (60 s): a record TTL overrides the zone default',
    ).toEqual([{ address: '127.0.0.1', ttl: 60 }]);
  });

  it('answers from the zone it is given: every A record of the name, no fixed address', async () => {
    const resolver = await resolverFor({
      origin: 'example.test',
      ttl: 30,
      records: [
        { name: 'www', address: '192.0.2.10' },
        { name: 'www', address: '192.0.2.11' },
        { name: '@', address: '192.0.2.1' },
      ],
    });
    const www = await resolver.resolve4('www.example.test');
    expect(www.sort(), 'a name with two A records gets both in one answer').toEqual([
      '192.0.2.10',
      '192.0.2.11',
    ]);
    expect(await resolver.resolve4('example.test'), 'the record named "@" is the origin itself').toEqual([
      '192.0.2.1',
    ]);
  });

  it('says NXDOMAIN for a name in the zone that does not exist, instead of inventing an address', async () => {
    const resolver = await resolverFor(zone);
    expect(
      await errorCode(resolver.resolve4('nope.photos.test')),
      'nope.photos.test has no record: the answer must be NXDOMAIN (Node reports ENOTFOUND)',
    ).toBe('ENOTFOUND');
  });

  it('refuses names outside its zone: an authoritative server is not a resolver', async () => {
    const resolver = await resolverFor(zone);
    expect(
      await errorCode(resolver.resolve4('www.example.com')),
      'www.example.com is not in photos.test: answer REFUSED (Node reports EREFUSED)',
    ).toBe('EREFUSED');
    expect(
      await errorCode(resolver.resolve4('notphotos.test')),
      'notphotos.test only ends with the same letters; it is not inside photos.test: REFUSED',
    ).toBe('EREFUSED');
  });

  it('treats names case-insensitively, as DNS does', async () => {
    server = await startDnsServer(zone);
    const query = dnsPacket.encode({
      type: 'query',
      id: 99,
      questions: [{ type: 'A', name: 'WWW.Photos.TEST' }],
    });
    const response = dnsPacket.decode(await exchange(server.port, query));
    expect(
      response.answers?.map((a) => ('data' in a ? a.data : undefined)),
      'a query for WWW.Photos.TEST asks for the same name as www.photos.test: compare names case-insensitively',
    ).toEqual(['127.0.0.1']);
    expect(
      lookup(zone, 'www.photos.test.', 'A').answers.map((a) => a.address),
      'lookup(): a fully qualified name with its trailing dot is the same name',
    ).toEqual(['127.0.0.1']);
  });

  it('answers "no data" for a type the name lacks, which is not the same as "no such name"', async () => {
    const resolver = await resolverFor(zone);
    expect(
      await errorCode(resolver.resolve6('www.photos.test')),
      'www exists but has no AAAA record: NOERROR with no answers (Node reports ENODATA), not NXDOMAIN',
    ).toBe('ENODATA');
    const raw = dnsPacket.decode(
      await exchange(
        server?.port as number,
        dnsPacket.encode({ type: 'query', id: 7, questions: [{ type: 'AAAA', name: 'www.photos.test' }] }),
      ),
    );
    expect(
      (raw as { rcode?: string }).rcode,
      'an AAAA query for www: the name exists, so the rcode is NOERROR',
    ).toBe('NOERROR');
    expect(
      raw.answers ?? [],
      'an AAAA query must not be answered with A records: answer only the type asked',
    ).toEqual([]);
  });

  it('sends an authoritative response that echoes the query id and question', async () => {
    server = await startDnsServer(zone);
    const query = dnsPacket.encode({
      type: 'query',
      id: 4242,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: 'A', name: 'api.photos.test' }],
    });
    const response = dnsPacket.decode(await exchange(server.port, query));
    expect(response.id, 'the response carries the id of the query, so the client can match them').toBe(4242);
    expect(response.type, 'the QR bit says "response"').toBe('response');
    expect(response.flag_aa, 'the AA bit is set: this server is the authority for photos.test').toBe(true);
    expect(response.questions, 'the question is echoed back').toEqual([
      { type: 'A', class: 'IN', name: 'api.photos.test' },
    ]);
    expect(
      response.answers?.map((a) => ('data' in a ? a.data : undefined)),
      'the answer section holds the A record of api.photos.test',
    ).toEqual(['127.0.0.1']);
  });

  it('answers FORMERR to a malformed query, and keeps serving', async () => {
    const resolver = await resolverFor(zone);
    const port = server?.port as number;
    // A readable header (id 0xBEEF, one question) followed by a question that breaks off mid-name.
    const broken = Buffer.from([0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x05, 0x70, 0x68]);
    const reply = await exchange(port, broken).catch((error: Error) => error);
    expect(
      reply instanceof Buffer
        ? { id: reply.readUInt16BE(0), rcode: reply.readUInt16BE(2) & 0x0f }
        : String(reply),
      'a query whose header is readable but whose question is broken gets FORMERR (rcode 1) with the same id',
    ).toEqual({ id: 0xbeef, rcode: 1 });
    await send(port, Buffer.from([1, 2, 3]));
    expect(
      await resolver.resolve4('www.photos.test'),
      'after garbage on the socket, the server must still answer: catch decoding errors per datagram',
    ).toEqual(['127.0.0.1']);
  });
});
