/**
 * Task 1 — a reverse proxy. Users reach only the balancer's public address; it forwards each request to a
 * private web server and the answer back, changing nothing that is not its business.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectJsonError, expectStatus } from '#kit/expect';
import { seededBytes } from '#kit/random';
import { pause, step, until } from '#kit/wait';
import { HOST, startCluster, stepWhileOpen } from './cluster.js';

describe('Reverse proxy: the one public entry', () => {
  it('passes method, path, status, headers and body through unchanged', async () => {
    const { send } = await startCluster(['A']);
    const reply = await send('/teapot');
    expect(reply.status, 'the backend answered 418: the client must see 418, not 200 or 502').toBe(418);
    expect(reply.statusMessage, 'the status line’s reason phrase passes through too').toBe("I'm a teapot");
    expect(
      reply.headers['x-internal'],
      'a response header named in the backend’s Connection header is hop-by-hop: drop it',
    ).toBeUndefined();
    for (const name of ['proxy-authenticate', 'trailer'])
      expect(
        reply.headers[name],
        `${name} is a hop-by-hop header of the backend’s answer (README, task 1): drop it`,
      ).toBeUndefined();
    expect(reply.headers['x-teapot'], 'response headers from the backend reach the client').toBe(
      'short and stout',
    );
    expect(reply.headers['x-backend-id']).toBe('A');
    expect(reply.text, 'the response body reaches the client intact').toBe('no coffee here');
    expectJsonError(await send('/no-such-page'), 404, 'a 404 from the backend is passed on as it is');
    const query = await send('/whoami?size=large&tag=a%20b');
    expect(
      query.json<{ url: string }>().url,
      'the path and the query string reach the backend unchanged',
    ).toBe('/whoami?size=large&tag=a%20b');
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const reply = await send('/whoami', { method });
      expectStatus(reply, 200, `${method} /whoami through the balancer`);
      expect(reply.json<{ method: string }>().method, `a ${method} reaches the backend as a ${method}`).toBe(
        method,
      );
    }
  });

  it('streams bodies both ways: an upload reaches the backend as it comes, and 8 MiB arrive intact', async () => {
    const { send, open, backend } = await startCluster(['A']);
    const upload = open('/upload', { method: 'POST' });
    upload.body.write(seededBytes(64 * 1024, 7));
    await stepWhileOpen(
      'the backend never saw the first 64 KiB of an upload that is still going on: stream the request body to the backend as it comes (pipe it), do not collect it first',
      [upload],
      backend('A').uploadStarted(),
      5000,
    );
    upload.body.end(seededBytes(64 * 1024, 8));
    const answer = await step('the upload is answered', upload.text);
    expect(JSON.parse(answer), 'the backend counted every byte of the upload').toEqual({ bytes: 128 * 1024 });

    const body = seededBytes(8 * 1024 * 1024, 42);
    const reply = await send('/echo', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expectStatus(reply, 200, 'POST /echo with an 8 MiB body');
    expect(reply.body.length, 'the backend echoes the body: the client must get every byte back').toBe(
      body.length,
    );
    expect(sha256(reply.body), 'the bytes that came back must be the bytes that were sent').toBe(
      sha256(body),
    );
  });

  it('tells the backend who the client was, and keeps hop-by-hop headers to their hop', async () => {
    const { send, entry } = await startCluster(['A']);
    const hopByHop = {
      'keep-alive': 'timeout=5',
      te: 'trailers',
      upgrade: 'h2c',
      'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
      'proxy-connection': 'keep-alive',
    };
    const reply = await send('/headers', {
      headers: {
        'x-forwarded-for': '203.0.113.7',
        connection: 'close, x-hop-secret',
        'x-hop-secret': 'for the balancer only',
        ...hopByHop,
        'x-end-to-end': 'kept',
      },
    });
    expectStatus(reply, 200, 'GET /headers through the balancer');
    const seen = reply.json<Record<string, string | undefined>>();
    expect(
      seen['x-forwarded-for'],
      'X-Forwarded-For keeps the addresses of earlier proxies and appends the client’s: "203.0.113.7, 127.0.0.1"',
    ).toBe('203.0.113.7, 127.0.0.1');
    expect(seen['x-forwarded-proto'], 'X-Forwarded-Proto says how the client connected').toBe('http');
    expect(seen['x-forwarded-host'], 'X-Forwarded-Host is the Host the client asked for').toBe(
      `${HOST}:${entry.port}`,
    );
    expect(seen.host, 'the Host header passes through unchanged: backends route by it (www / api)').toBe(
      `${HOST}:${entry.port}`,
    );
    expect(seen['x-end-to-end'], 'ordinary headers pass through').toBe('kept');
    expect(seen['x-hop-secret'], 'a header named in Connection is hop-by-hop: drop it').toBeUndefined();
    for (const name of Object.keys(hopByHop))
      expect(
        seen[name],
        `${name} is hop-by-hop (README, task 1: it concerns one connection, not the message): drop it`,
      ).toBeUndefined();
    const first = (await send('/headers')).json<Record<string, string | undefined>>();
    expect(
      first['x-forwarded-for'],
      'a client that came through no other proxy: X-Forwarded-For is its address alone',
    ).toBe('127.0.0.1');
  });

  it('answers 504 JSON when a backend does not start to answer within the timeout, and leaves a slow body alone', async () => {
    const { send, open, backend } = await startCluster(['A'], { timeoutMs: 150 });
    const download = open('/stream');
    const answer = await step(
      'the answer’s status and headers never reached the client while the backend was still sending its body: stream the answer (pipe it), do not wait for its end',
      download.answer,
      5000,
    );
    expect(answer.statusCode, 'the backend answered 200 at once').toBe(200);
    await pause(2 * 150); // longer than timeoutMs, on purpose
    backend('A').release();
    const text = await download.text.then(
      (body) => body,
      (error: Error) => `a broken answer (${error.message})`,
    );
    expect(
      text,
      'a backend that started to answer in time and sends the rest of its body later is not timed out: timeoutMs covers only the wait for the answer to start',
    ).toBe('first part, the rest');

    const reply = await step(
      'no answer although timeoutMs is 150 and the backend never answers: time the backend out',
      send('/hold'),
      5000,
    );
    expectJsonError(reply, 504, 'a backend that does not start to answer within timeoutMs (150 ms)');
  });

  it('does not turn a response cut off mid-body into a complete one', async () => {
    const { send } = await startCluster(['A']);
    const outcome = await send('/die-mid-body').then(
      (reply) => `a complete ${reply.status} with ${reply.body.length} bytes`,
      () => 'a broken response',
    );
    expect(
      outcome,
      'the backend died after half its body: the client must see the response break, not a short 200',
    ).toBe('a broken response');
  });

  it('closes its connections to the backends on close()', async () => {
    const { send, backend, close } = await startCluster(['A']);
    for (let i = 0; i < 3; i++) expectStatus(await send('/whoami'), 200, `GET ${i} through the balancer`);
    await step('close() never resolved', close());
    await until(
      () => backend('A').openConnections === 0,
      2000,
      () =>
        `${backend('A').openConnections} connection(s) from the balancer to A still open after close(): close the connections to the backends (destroy the keep-alive agent)`,
    );
  });
});

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
