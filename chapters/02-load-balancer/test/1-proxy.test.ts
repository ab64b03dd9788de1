/**
 * Task 1 — a reverse proxy. Users reach only the balancer's public address; it forwards each request to a
 * private web server and the answer back, changing nothing that is not its business.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectJsonError, expectStatus } from '#kit/expect';
import { seededBytes } from '#kit/random';
import { within } from '#kit/wait';
import { HOST, startCluster } from './cluster.js';

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
  });

  it('streams a multi-megabyte body both ways without corrupting a byte', async () => {
    const { send } = await startCluster(['A']);
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
    const reply = await send('/headers', {
      headers: {
        'x-forwarded-for': '203.0.113.7',
        connection: 'close, x-hop-secret',
        'x-hop-secret': 'for the balancer only',
        'keep-alive': 'timeout=5',
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
    expect(seen['keep-alive'], 'Keep-Alive is hop-by-hop: drop it').toBeUndefined();
  });

  it('answers 504 JSON when a backend takes longer than the timeout to start answering', async () => {
    const { send } = await startCluster(['A'], { timeoutMs: 150 });
    const reply = await within(
      send('/hold'),
      2000,
      'no answer within 2 s although timeoutMs is 150: time out the backend',
    );
    expectJsonError(reply, 504, 'a backend that does not start to answer within timeoutMs (150 ms)');
    const slowBody = await send('/trickle');
    expect(
      `${slowBody.status} ${slowBody.text}`,
      'a backend that answered at once but sends its body slowly is not timed out: the timeout covers the wait for the answer',
    ).toBe('200 first half, second half');
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
});

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
