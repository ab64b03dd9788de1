/** Loopback UDP for tests: send a datagram to a server on 127.0.0.1, with or without waiting for its reply. */
import dgram from 'node:dgram';

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
