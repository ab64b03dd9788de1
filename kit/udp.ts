/** Loopback UDP for tests: send a datagram to a server on 127.0.0.1, with or without waiting for its reply. */
import dgram from 'node:dgram';
import { onTestFinished } from 'vitest';

/** Sends one datagram to 127.0.0.1:`port` and does not wait for any reply. */
export function send(port: number, message: Buffer): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise<void>((resolve, reject) => {
    socket.send(message, port, '127.0.0.1', (error) => (error ? reject(error) : resolve()));
  }).finally(() => socket.close());
}

/** Sends one datagram to 127.0.0.1:`port` and resolves with the reply (or rejects after `timeoutMs`). */
export function exchange(port: number, message: Buffer, timeoutMs = 1000): Promise<Buffer> {
  const socket = dgram.createSocket('udp4');
  return new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no reply from 127.0.0.1:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('message', (reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
    socket.send(message, port, '127.0.0.1');
  }).finally(() => socket.close());
}

/**
 * One client socket that keeps every datagram it receives, in order: for a test that must show that a
 * datagram got NO reply. Send it, then a datagram that is answered, from the same socket: a reply to the
 * first would arrive before the answer to the second. Closed when the test finishes.
 */
export interface UdpClient {
  /** Sends one datagram to 127.0.0.1:`port` from this socket. */
  send(message: Buffer): Promise<void>;
  /** Every datagram received so far, oldest first. */
  readonly received: readonly Buffer[];
  /** Resolves with the first received datagram for which `match` holds (one already received counts). */
  replyWhere(match: (reply: Buffer) => boolean): Promise<Buffer>;
  close(): Promise<void>;
}

export async function udpClient(port: number): Promise<UdpClient> {
  const socket = dgram.createSocket('udp4');
  const received: Buffer[] = [];
  const waiting = new Set<{ match: (reply: Buffer) => boolean; resolve: (reply: Buffer) => void }>();
  socket.on('message', (reply) => {
    received.push(reply);
    for (const waiter of waiting) {
      if (!waiter.match(reply)) continue;
      waiting.delete(waiter);
      waiter.resolve(reply);
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => socket.close(() => resolve()));
    return closed;
  };
  onTestFinished(close);
  return {
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        socket.send(message, port, '127.0.0.1', (error) => (error ? reject(error) : resolve()));
      }),
    get received() {
      return received;
    },
    replyWhere: (match) => {
      const seen = received.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<Buffer>((resolve) => waiting.add({ match, resolve }));
    },
    close,
  };
}
