/**
 * Loopback HTTP for tests: run a server on 127.0.0.1, stop it gently or kill it, and talk to it.
 *
 * Only 127.0.0.1 is used (macOS has no other loopback address by default). Every server started here is
 * killed when the test ends if the test did not stop it, so nothing outlives its test.
 */
import http from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import { onTestFinished } from 'vitest';

export const LOOPBACK = '127.0.0.1';

export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Graceful stop: no new connections; requests in flight finish; idle keep-alive connections close. */
  close(): Promise<void>;
  /** Abrupt stop, as if the machine died: every open connection is destroyed at once. */
  kill(): Promise<void>;
  /** Requests this server has received so far. */
  readonly requests: number;
}

/** Listens on 127.0.0.1 on a free port (or the given one) and tracks connections for `kill()`. */
export async function serve(server: Server, port = 0): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  let requests = 0;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', () => {
    requests += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  const stop = (abrupt: boolean): Promise<void> => {
    if (stopped) return stopped;
    stopped = new Promise<void>((resolve) => {
      server.close(() => resolve());
      if (abrupt) {
        for (const socket of sockets) socket.destroy();
      } else if (server instanceof http.Server) {
        server.closeIdleConnections();
      }
    });
    return stopped;
  };
  onTestFinished(() => stop(true));
  return {
    url: `http://${LOOPBACK}:${actualPort}`,
    port: actualPort,
    close: () => stop(false),
    kill: () => stop(true),
    get requests() {
      return requests;
    },
  };
}

export interface Reply {
  readonly status: number;
  /** The reason phrase of the status line, e.g. "I'm a teapot". */
  readonly statusMessage: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
  /** The body parsed as JSON; throws a readable error when it is not JSON. */
  json<T = unknown>(): T;
}

export interface RequestOptions {
  method?: string;
  /** The Host header: which name the client asked DNS for (e.g. `api.photos.test`). */
  host?: string;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else is sent as JSON. */
  body?: unknown;
}

/**
 * One HTTP request on a fresh connection (no keep-alive pool, so nothing is left open after a test).
 * `url` is where to connect, e.g. the address DNS returned; `host` is the name the client asked for.
 */
export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  const target = new URL(url);
  const headers: Record<string, string> = { ...options.headers };
  if (options.host) headers.host = `${options.host}:${target.port}`;
  let payload: Buffer | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      payload = Buffer.from(options.body);
    } else {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] ??= 'application/json';
    }
    headers['content-length'] = String(payload.length);
  }
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(
      target,
      { method: options.method ?? (payload ? 'POST' : 'GET'), headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            headers: res.headers,
            body,
            text,
            json<T>() {
              try {
                return JSON.parse(text) as T;
              } catch {
                const type = res.headers['content-type'] ?? 'no content-type';
                throw new Error(`expected a JSON body, got ${type}: ${JSON.stringify(text.slice(0, 200))}`);
              }
            },
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
