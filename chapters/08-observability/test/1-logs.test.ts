/**
 * Task 1 — logs. Every process writes structured JSON lines to one central collector; the balancer gives
 * each request an id that travels with it, so that one request's path across the balancer, a web server and
 * a worker is found by that id.
 */
import { describe, expect, it } from 'vitest';
import { expectJsonError, expectStatus } from '#kit/expect';
import { request } from '#kit/http';
import { servicesOf, startSystem } from './system.js';

describe('Structured logs in one place, one request id across the tiers', () => {
  it('finds the lines of the balancer, the web server and the worker by the request id', async () => {
    const system = await startSystem();
    const reply = await system.send('/photos', { body: { owner: 'ana', title: 'sunset' } });
    expectStatus(reply, 202, 'POST /photos through the balancer');
    const id = reply.headers['x-request-id'];
    expect(
      typeof id === 'string' && id.length > 0,
      'the answer carries the request id in an X-Request-Id header, so that a user can quote it',
    ).toBe(true);
    const servedBy = String(reply.headers['x-served-by']);
    expect(servedBy, 'the web server names itself in an X-Served-By header').toMatch(/^web-\d$/);

    const lines = await system.waitForLogs(
      { requestId: String(id) },
      (found) => ['balancer', servedBy, 'worker'].every((s) => servicesOf(found).has(s)),
      `the balancer, ${servedBy} and the worker should all log with the request id ${id}: the balancer passes it on in the X-Request-Id header, the web server logs with it and hands it to the worker with the job; every line names its process in its service field`,
    );
    const services = servicesOf(lines);
    expect(services.has('balancer'), 'the balancer logs each request with its id').toBe(true);
    expect(
      services.has(servedBy),
      `${servedBy} served the request but none of its lines carry the id: the balancer must pass the id on in the X-Request-Id header, and the web server log with it`,
    ).toBe(true);
    expect(
      services.has('worker'),
      'the worker made the thumbnail but its lines do not carry the id: hand the request id to the worker with the job',
    ).toBe(true);
    expect(
      [...services].filter((s) => s !== 'balancer' && s !== servedBy && s !== 'worker'),
      'only the processes that handled the request have lines with its id',
    ).toEqual([]);
    for (const line of lines) {
      expect(typeof line.level, `every line is structured: a numeric level (${JSON.stringify(line)})`).toBe(
        'number',
      );
      expect(typeof line.time, 'and a time in epoch milliseconds').toBe('number');
      expect(typeof line.msg, 'and a message').toBe('string');
    }
  });

  it('keeps an id the client sent, and keeps concurrent requests apart', async () => {
    const system = await startSystem();
    const ids = Array.from({ length: 6 }, (_, i) => `checkout-7f3a-${i}`);
    const replies = await Promise.all(
      ids.map((id, i) =>
        i % 2 === 0
          ? system.send('/users', { body: { name: `user${i}` }, headers: { 'x-request-id': id } })
          : system.send('/photos', {
              body: { owner: 'ana', title: `t${i}` },
              headers: { 'x-request-id': id },
            }),
      ),
    );
    for (const [i, reply] of replies.entries()) {
      expect(reply.status, `request ${ids[i]}: ${reply.text}`).toBeLessThan(300);
      expect(
        reply.headers['x-request-id'],
        'an id the client (or a tier in front) sent is kept, not replaced: it is how the two sides find each other',
      ).toBe(ids[i]);
    }
    for (const [i, id] of ids.entries()) {
      const servedBy = String(replies[i]?.headers['x-served-by']);
      const lines = await system.waitForLogs(
        { requestId: id },
        (found) => servicesOf(found).has('balancer') && servicesOf(found).has(servedBy),
        `the lines of request ${id} from the balancer and ${servedBy}`,
      );
      const other = system.webs.map((w) => w.id).filter((w) => w !== servedBy);
      expect(
        lines.filter((l) => other.includes(String(l.service))).length,
        `request ${id} went to ${servedBy}, yet another web server logged with its id: concurrent requests got mixed up`,
      ).toBe(0);
    }
  });

  it('gives a request a fresh id when it comes without a usable one', async () => {
    const system = await startSystem();
    const a = await system.send('/health');
    const b = await system.send('/health');
    const first = String(a.headers['x-request-id'] ?? '');
    expect(first, 'a request without an id gets one at the balancer').not.toBe('');
    expect(String(b.headers['x-request-id']), 'each request gets its own id').not.toBe(first);
    for (const bad of ['x'.repeat(129), 'two words', 'a;b', '<id>']) {
      const hostile = await system.send('/health', { headers: { 'x-request-id': bad } });
      const replaced = String(hostile.headers['x-request-id'] ?? '');
      expect(
        replaced !== bad && /^[\w.:-]{1,128}$/.test(replaced),
        `an id "${bad.slice(0, 20)}${bad.length > 20 ? '…' : ''}" (${bad.length} characters) is not kept — ids are 1–128 letters, digits, - _ . : — the balancer makes a new one; got "${replaced.slice(0, 40)}"`,
      ).toBe(true);
    }
    const edge = 'a'.repeat(128);
    expect(
      (await system.send('/health', { headers: { 'x-request-id': edge } })).headers['x-request-id'],
      'an id of exactly 128 allowed characters is kept',
    ).toBe(edge);
  });

  it('serves the photo service through a round-robin balancer, with clear 4xx for bad input', async () => {
    const system = await startSystem();
    const servedBy: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await system.send('/health');
      expectStatus(reply, 200, 'GET /health');
      servedBy.push(String(reply.headers['x-served-by']));
    }
    expect(
      servedBy,
      'the balancer sends requests to the web servers in turn (round-robin): four requests, two servers, each twice and never the same twice in a row',
    ).toEqual([servedBy[0], servedBy[1], servedBy[0], servedBy[1]]);
    expect(servedBy[0], 'two different servers').not.toBe(servedBy[1]);

    const user = await system.send('/users', { body: { name: 'ana_b-2' } });
    expectStatus(user, 201, 'POST /users with a name of letters, digits, _ and -');
    for (const name of ['', 'x'.repeat(41), 'no spaces', 'ünïcode']) {
      expectJsonError(
        await system.send('/users', { body: { name } }),
        400,
        `POST /users with the name "${name.slice(0, 12)}" (${name.length} characters): a name is 1–40 letters, digits, _ or -`,
      );
    }
    const upload = await system.send('/photos', { body: { owner: 'ana', title: 'dunes' } });
    expectStatus(upload, 202, 'POST /photos');
    const id = upload.json<{ id?: unknown }>().id;
    const photo = await system.send(`/photos/${String(id)}`);
    expectStatus(photo, 200, `GET /photos/${String(id)}`);
    expect(photo.json(), 'the photo as stored').toMatchObject({ owner: 'ana', title: 'dunes' });
    expectJsonError(
      await system.send('/photos/999999'),
      404,
      'GET /photos/999999, a photo that does not exist',
    );
    expectJsonError(
      await system.send('/photos', { body: { owner: 'ana' } }),
      400,
      'POST /photos without a title',
    );
  });

  it('keeps serving when the collector is down: a logging failure loses lines, not requests', async () => {
    const system = await startSystem();
    await system.collector.kill();
    for (let i = 0; i < 4; i++) {
      const reply = await system.send('/photos', { body: { owner: 'ana', title: `while down ${i}` } });
      expectStatus(reply, 202, 'an upload while the log collector is down');
    }
    expectStatus(await system.send('/photos/1'), 200, 'a read while the log collector is down');
  });

  it('answers queries by request id, level and time range, and refuses bad input with 4xx JSON', async () => {
    const system = await startSystem({ servers: 1 });
    const post = (body: string) =>
      request(`${system.collector.url}/logs`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-ndjson' },
      });
    const crafted = [
      { level: 30, time: 1_000, service: 'web-1', requestId: 'r-a', msg: 'one' },
      { level: 50, time: 2_000, service: 'web-2', requestId: 'r-b', msg: 'two' },
      { level: 40, time: 3_000, service: 'web-1', requestId: 'r-a', msg: 'three' },
      { level: 30, time: 4_000, service: 'worker', requestId: 'r-c', msg: 'four' },
    ];
    // Posted out of time order (lines from several processes arrive in any order): answers are in time order.
    const shuffled = [crafted[2], crafted[0], crafted[3], crafted[1]];
    const accepted = await post(`${shuffled.map((l) => JSON.stringify(l)).join('\n')}\n`);
    expectStatus(accepted, 202, 'POST /logs with four NDJSON lines');
    expect(
      accepted.json<{ accepted?: unknown }>().accepted,
      '202 { accepted }: how many lines were taken',
    ).toBe(4);
    const msgs = async (query: Record<string, string>) =>
      (await system.logs({ to: '5000', ...query })).map((l) => l.msg);
    expect(await msgs({ requestId: 'r-a' }), 'by request id, in time order').toEqual(['one', 'three']);
    expect(await msgs({ level: 'warn' }), 'level=warn: warnings and worse').toEqual(['two', 'three']);
    expect(await msgs({ level: 'error' }), 'level=error: errors and worse').toEqual(['two']);
    expect(
      await msgs({ from: '2000', to: '3000' }),
      'from/to: a time range in ms, both ends included',
    ).toEqual(['two', 'three']);
    expect(await msgs({ service: 'web-1' }), 'by service').toEqual(['one', 'three']);
    expect(await msgs({ requestId: 'r-a', level: 'warn' }), 'filters combine').toEqual(['three']);
    expect(await msgs({ service: 'worker', from: '3500' }), 'service and time combine').toEqual(['four']);

    const query = (q: string) => request(`${system.collector.url}/logs?${q}`);
    expectJsonError(await query('level=loud'), 400, 'a level that does not exist');
    expectJsonError(await query('from=yesterday'), 400, 'a time that is not epoch milliseconds');
    expectJsonError(await query('from=3000&to=1000'), 400, 'a range that ends before it starts');
    expectJsonError(await post('this is not json\n'), 400, 'a log line that is not JSON');
    expectJsonError(await post('{"msg":"no level, no time"}\n'), 400, 'a line without level and time');
    expectJsonError(await post('[1,2,3]\n'), 400, 'a line that is not an object');
    expect(await msgs({}), 'after bad input the collector still answers, with the same lines').toEqual([
      'one',
      'two',
      'three',
      'four',
    ]);
  });
});
