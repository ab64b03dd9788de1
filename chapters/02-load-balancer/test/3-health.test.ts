/**
 * Task 3 — health. A load balancer that keeps sending to a dead server is worse than none. Active checks ask
 * each server for /health at an interval; passive checks notice a request that could not connect. A safe
 * request (GET) that fails that way is tried once more on another server; a POST is never sent twice.
 */

import { describe, expect, it, onTestFinished } from 'vitest';
import { createDatabase } from '#kit/db';
import { expectJsonError, expectStatus } from '#kit/expect';
import { request, serve } from '#kit/http';
import { within } from '#kit/wait';
import { createLoadBalancer } from '../src/load-balancer.js';
import { startBackend, startResettingBackend } from './backends.js';
import { FAST_CHECKS, healthOf, load, startCluster, tally } from './cluster.js';

describe('Health: dead servers leave the rotation, and come back', () => {
  it('active checks take a failing server out and bring it back when it passes again', async () => {
    const { balancer, send, backend } = await startCluster(['A', 'B', 'C'], { healthCheck: FAST_CHECKS });
    backend('B').setHealthy(false);
    await healthOf(balancer, 'B', false);
    const before = backend('B').served;
    for (let i = 0; i < 30; i++)
      expectStatus(await send('/whoami'), 200, `request ${i} while B is unhealthy`);
    expect(backend('B').served - before, 'B fails its health checks: it must get no requests').toBe(0);

    backend('B').setHealthy(true);
    await healthOf(balancer, 'B', true);
    const replies = [];
    for (let i = 0; i < 30; i++) replies.push(await send('/whoami'));
    expect(tally(replies).B ?? 0, 'B passes its checks again: it must be back in rotation').toBeGreaterThan(
      0,
    );
  });

  it('loses no GET when a server is killed mid-traffic', async () => {
    const { balancer, send, backend } = await startCluster(['A', 'B', 'C'], { healthCheck: FAST_CHECKS });
    let killed: Promise<void> | undefined;
    const results = await load(
      300,
      6,
      () => send('/whoami'),
      (done) => {
        if (done === 100) killed = backend('B').kill();
      },
    );
    await killed;
    const failed = results
      .map((r, i) =>
        r.status === 'fulfilled'
          ? r.value.status === 200
            ? undefined
            : `request ${i}: ${r.value.status} ${r.value.text}`
          : `request ${i}: ${String(r.reason)}`,
      )
      .filter(Boolean);
    expect(
      failed,
      'server B was killed after request 100: a GET that cannot reach B must be retried once on another server, and B taken out',
    ).toEqual([]);
    await healthOf(balancer, 'B', false);
    expect(balancer.inRotation().sort(), 'after the kill, only A and C are in rotation').toEqual(['A', 'C']);
  });

  it('never replays a POST: a server that dies after writing leaves one row, not two', async () => {
    const db = await createDatabase();
    await db.pool.query('CREATE TABLE photos (id serial PRIMARY KEY, title text NOT NULL)');
    const { send, backends } = await startCluster(['A', 'B'], {}, { db });
    for (const b of backends) b.crashAfterWrite();
    const reply = await within(
      send('/v1/photos', { body: { title: 'sunset' } }),
      3000,
      'the POST never got an answer: a POST whose server failed must be answered 502 at once, not sent again',
    );
    expectJsonError(
      reply,
      502,
      'a POST whose server died before answering (the balancer cannot know whether it was applied)',
    );
    const rows = await db.pool.query('SELECT title FROM photos');
    expect(
      rows.rows,
      'the POST reached a server and was written once; sending it to another server would write it twice',
    ).toEqual([{ title: 'sunset' }]);
  });

  it('answers 503 JSON when no server is healthy, and recovers when one returns', async () => {
    const { balancer, send, backend } = await startCluster(['A'], { healthCheck: FAST_CHECKS });
    const port = backend('A').port;
    await backend('A').kill();
    await healthOf(balancer, 'A', false);
    expectJsonError(await send('/whoami'), 503, 'every server is down');

    await startBackend('A', {}, port);
    await healthOf(balancer, 'A', true);
    expectStatus(await send('/whoami'), 200, 'server A is back on its address and passes its health checks');
  });

  it('notices a dead server from a failed request alone (passive check), without active checks', async () => {
    const { balancer, send, backend } = await startCluster(['A', 'B', 'C']);
    const events: string[] = [];
    balancer.onHealthChange((e) => events.push(`${e.backend} ${e.healthy ? 'up' : 'down'} (${e.reason})`));
    await backend('B').kill();
    for (let i = 0; i < 9; i++)
      expectStatus(await send('/whoami'), 200, `GET ${i} after B died (no health checks configured)`);
    expect(balancer.inRotation().sort(), 'a request that could not connect to B takes B out at once').toEqual(
      ['A', 'C'],
    );
    expect(
      events.join('; '),
      'and says so through onHealthChange, with a reason that names the passive check',
    ).toMatch(/^B down \(passive/);
  });

  it('retries a failed GET once, not more', async () => {
    const resetting = await Promise.all(['X', 'Y', 'Z'].map(startResettingBackend));
    const balancer = createLoadBalancer({ backends: resetting.map((b) => ({ id: b.id, url: b.url })) });
    onTestFinished(() => balancer.close());
    const entry = await serve(balancer.server);
    expectJsonError(
      await request(`${entry.url}/whoami`),
      502,
      'a GET whose server and retry both reset the connection',
    );
    const attempts = resetting.reduce((sum, b) => sum + b.connections, 0);
    expect(
      attempts,
      'one attempt and one retry on another server: more would multiply the load during an outage',
    ).toBe(2);
  });
});
