import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { expect, test } from 'vitest';
import { dnsQuery, resolve } from '#kit/dns';

test('resolve sends a query with the client subnet and decodes the answer and its echoed option', async () => {
  const server = dgram.createSocket('udp4');
  server.on('message', (message, from) => {
    const query = dnsPacket.decode(message);
    const opt = query.additionals?.find((r) => r.type === 'OPT') as { options: { ip: string }[] } | undefined;
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id,
      questions: query.questions,
      answers: [{ type: 'A', name: 'www.photos.test', ttl: 30, data: opt?.options[0]?.ip ?? '0.0.0.0' }],
      additionals: [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: 4096,
          options: [{ code: 8, family: 1, sourcePrefixLength: 24, scopePrefixLength: 24, ip: '203.0.113.0' }],
        },
      ],
    } as unknown as dnsPacket.Packet);
    server.send(reply, from.port, from.address);
  });
  await new Promise<void>((ready) => server.bind(0, '127.0.0.1', ready));
  try {
    const reply = await resolve(server.address().port, 'www.photos.test', { clientSubnet: '203.0.113.7' });
    expect(reply.rcode).toBe('NOERROR');
    expect(reply.addresses).toEqual(['203.0.113.0']);
    expect(reply.ttls).toEqual([30]);
    expect(reply.clientSubnet?.scopePrefixLength).toBe(24);
    expect(dnsPacket.decode(dnsQuery('a.test', { id: 7 })).id).toBe(7);
  } finally {
    server.close();
  }
});
