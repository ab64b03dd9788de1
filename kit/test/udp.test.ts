import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { expect, onTestFinished, test } from 'vitest';
import { exchange, send, udpClient } from '../udp.js';

/** A UDP server on 127.0.0.1 that records what it receives and answers `ok:<message>` unless told not to. */
async function echo(answer = true) {
  const socket = dgram.createSocket('udp4');
  const received: string[] = [];
  socket.on('message', (message, peer) => {
    received.push(message.toString());
    if (answer) socket.send(`ok:${message}`, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: (socket.address() as AddressInfo).port, received };
}

test('exchange sends a datagram and resolves with the reply', async () => {
  const server = await echo();
  expect((await exchange(server.port, Buffer.from('ping'))).toString()).toBe('ok:ping');
});

test('exchange rejects after its timeout when nothing answers', async () => {
  const server = await echo(false);
  await expect(exchange(server.port, Buffer.from('ping'), 50)).rejects.toThrow(
    /no reply from 127\.0\.0\.1:\d+ within 50 ms/,
  );
  expect(server.received).toEqual(['ping']);
});

test('send delivers a datagram without waiting for a reply', async () => {
  const server = await echo(false);
  await send(server.port, Buffer.from('one-way'));
  await expect.poll(() => server.received).toEqual(['one-way']);
});

test('udpClient keeps every reply in order, so a datagram that got no reply can be shown', async () => {
  const server = await echo();
  const client = await udpClient(server.port);
  await client.send(Buffer.from('one'));
  await client.send(Buffer.from('two'));
  const two = await client.replyWhere((reply) => reply.toString() === 'ok:two');
  expect(two.toString()).toBe('ok:two');
  expect(client.received.map(String)).toEqual(['ok:one', 'ok:two']);
  expect((await client.replyWhere((reply) => reply.toString() === 'ok:one')).toString()).toBe('ok:one');
  await client.close();
});
