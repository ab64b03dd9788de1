/**
 * Task 1 — DNS. Users reach the service by name; the DNS server answers which IP address that name has.
 * These tests ask your server over real UDP: through Node's own resolver, as any client would, and with
 * the kit's DNS client (#kit/dns), which shows the rcode and flags of each answer.
 */
import { Resolver } from 'node:dns/promises';
import type { DecodedPacket } from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { type DnsReply, dnsQuery, type QueryOptions, resolve } from '#kit/dns';
import { exchange, send, udpClient } from '#kit/udp';
import { step } from '#kit/wait';
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

/** How long a query waits for its answer: a reply on loopback takes a millisecond; this is for a busy machine. */
const ANSWER_MS = 3000;

let server: DnsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(z: Zone = zone): Promise<number> {
  server = await step(`startDnsServer() for the zone ${z.origin} listens`, startDnsServer(z));
  return server.port;
}

/** One query with the kit's DNS client; no answer at all fails with a message that says so. */
async function ask(port: number, name: string, options: QueryOptions = {}): Promise<DnsReply> {
  try {
    return await resolve(port, name, { timeoutMs: ANSWER_MS, ...options });
  } catch (error) {
    throw new Error(
      `the DNS server sent no usable answer to the ${options.type ?? 'A'} query for ${name}: every query ` +
        `in the zone or outside it gets a response (${(error as Error).message})`,
    );
  }
}

/** The id and rcode of a raw reply, read from its 12-byte header. */
function header(reply: Buffer): { id: number; rcode: number } {
  return { id: reply.readUInt16BE(0), rcode: reply.readUInt16BE(2) & 0x0f };
}

describe('DNS: the authoritative server for photos.test', () => {
  it('answers A queries for www and api with the address and TTL from the zone', async () => {
    const port = await serve();
    const resolver = new Resolver({ timeout: ANSWER_MS, tries: 1 });
    resolver.setServers([`127.0.0.1:${port}`]);
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
    const port = await serve({
      origin: 'example.test',
      ttl: 30,
      records: [
        { name: 'www', address: '192.0.2.10' },
        { name: 'www', address: '192.0.2.11', ttl: 10 },
        { name: '@', address: '192.0.2.1' },
      ],
    });
    const www = await ask(port, 'www.example.test');
    expect(
      www.addresses.map((address, i) => `${address} ttl ${www.ttls[i]}`).sort(),
      'a name with two A records gets both in one answer, each with its own TTL (or the zone default)',
    ).toEqual(['192.0.2.10 ttl 30', '192.0.2.11 ttl 10']);
    expect((await ask(port, 'example.test')).addresses, 'the record named "@" is the origin itself').toEqual([
      '192.0.2.1',
    ]);
  });

  it('says NXDOMAIN for a name in the zone that does not exist, instead of inventing an address', async () => {
    const port = await serve();
    const nope = await ask(port, 'nope.photos.test');
    expect(
      { rcode: nope.rcode, addresses: nope.addresses },
      'nope.photos.test has no record: the answer is NXDOMAIN, with no address',
    ).toEqual({ rcode: 'NXDOMAIN', addresses: [] });
    const below = await ask(port, 'www.api.photos.test');
    expect(
      { rcode: below.rcode, addresses: below.addresses },
      'www.api.photos.test is a name of its own (the whole name before the origin, not its first label), ' +
        'and the zone has no record of it: NXDOMAIN',
    ).toEqual({ rcode: 'NXDOMAIN', addresses: [] });
  });

  it('refuses names outside its zone: an authoritative server is not a resolver', async () => {
    const port = await serve();
    expect(
      (await ask(port, 'www.example.com')).rcode,
      'www.example.com is not in photos.test: answer REFUSED',
    ).toBe('REFUSED');
    expect(
      (await ask(port, 'notphotos.test')).rcode,
      'notphotos.test only ends with the same letters; it is not inside photos.test: REFUSED',
    ).toBe('REFUSED');
  });

  it('treats names case-insensitively, as DNS does', async () => {
    const port = await serve();
    expect(
      (await ask(port, 'WWW.Photos.TEST')).addresses,
      'a query for WWW.Photos.TEST asks for the same name as www.photos.test: compare names case-insensitively',
    ).toEqual(['127.0.0.1']);
    expect(
      lookup(zone, 'www.photos.test.', 'A').answers.map((a) => a.address),
      'lookup(): a fully qualified name with its trailing dot is the same name',
    ).toEqual(['127.0.0.1']);
    const written: Zone = {
      origin: 'Photos.Test',
      ttl: 300,
      records: [{ name: 'API', address: '192.0.2.7' }],
    };
    expect(
      lookup(written, 'api.photos.test', 'A').answers.map((a) => a.address),
      'lookup(): a zone written with capitals (origin "Photos.Test", record "API") holds api.photos.test',
    ).toEqual(['192.0.2.7']);
  });

  it('answers "no data" for a type the name lacks, which is not the same as "no such name"', async () => {
    const port = await serve();
    const aaaa = await ask(port, 'www.photos.test', { type: 'AAAA' });
    expect(
      aaaa.rcode,
      'www exists but has no AAAA record: NOERROR with no answers (clients read NXDOMAIN as "no such name")',
    ).toBe('NOERROR');
    expect(
      aaaa.packet.answers ?? [],
      'an AAAA query must not be answered with A records: answer only the type asked',
    ).toEqual([]);
    const mx = await ask(port, 'api.photos.test', { type: 'MX' });
    expect(
      { rcode: mx.rcode, answers: mx.packet.answers ?? [] },
      'an MX query for api: the name exists, the type does not: NOERROR with no answers',
    ).toEqual({ rcode: 'NOERROR', answers: [] });
  });

  it('sends an authoritative response that echoes the query id and question', async () => {
    const port = await serve();
    const { packet } = await ask(port, 'api.photos.test', { id: 4242 });
    expect(packet.id, 'the response carries the id of the query, so the client can match them').toBe(4242);
    expect(packet.type, 'the QR bit says "response"').toBe('response');
    expect(
      (packet as DecodedPacket).flag_aa,
      'the AA bit is set: this server is the authority for photos.test',
    ).toBe(true);
    expect(packet.questions, 'the question is echoed back').toEqual([
      { type: 'A', class: 'IN', name: 'api.photos.test' },
    ]);
    expect(
      packet.answers?.map((a) => ('data' in a ? a.data : undefined)),
      'the answer section holds the A record of api.photos.test',
    ).toEqual(['127.0.0.1']);
  });

  it('answers FORMERR to a malformed query with a readable header, and keeps serving', async () => {
    const port = await serve();
    // A readable header (id 0xBEEF, one question) followed by a question that breaks off mid-name.
    const broken = Buffer.from([0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x05, 0x70, 0x68]);
    const reply = await exchange(port, broken, ANSWER_MS).catch((error: Error) => error);
    expect(
      reply instanceof Buffer ? header(reply) : String(reply),
      'a query whose header is readable but whose question is broken gets FORMERR (rcode 1) with the same id',
    ).toEqual({ id: 0xbeef, rcode: 1 });
    // Exactly a header, which promises one question that never comes: still a readable header.
    const headerOnly = broken.subarray(0, 12);
    const second = await exchange(port, headerOnly, ANSWER_MS).catch((error: Error) => error);
    expect(
      second instanceof Buffer ? header(second) : String(second),
      'a datagram of exactly 12 bytes is a whole DNS header (its question is missing): FORMERR with its id',
    ).toEqual({ id: 0xbeef, rcode: 1 });
    await send(port, Buffer.from([1, 2, 3]));
    expect(
      (await ask(port, 'www.photos.test')).addresses,
      'after garbage on the socket, the server must still answer: catch decoding errors per datagram',
    ).toEqual(['127.0.0.1']);
  });

  it('drops a datagram shorter than a DNS header without a reply, and keeps serving', async () => {
    const port = await serve();
    const client = await udpClient(port);
    const idOf = (reply: Buffer) => (reply.length >= 2 ? reply.readUInt16BE(0) : -1);
    // 3 bytes and 11 bytes: too short for the 12-byte header, so there is no id to answer to.
    await client.send(Buffer.from([0xbe, 0xef, 0x01]));
    await client.send(Buffer.from([0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0]));
    // Then two real queries from the same socket: any reply to the short ones would arrive before theirs.
    for (const id of [1, 2]) {
      await client.send(dnsQuery('www.photos.test', { id }));
      await step(
        `the DNS server answers the query with id ${id} sent after two short datagrams (it must go on serving)`,
        client.replyWhere((reply) => idOf(reply) === id),
      );
    }
    expect(
      client.received.map((reply) => (idOf(reply) === 0xbeef ? `a reply to a short datagram` : idOf(reply))),
      'a datagram shorter than the 12-byte DNS header has no readable id: drop it, send nothing back',
    ).toEqual([1, 2]);
  });
});
