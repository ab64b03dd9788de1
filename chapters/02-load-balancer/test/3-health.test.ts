/**
 * Task 3 — health. A load balancer that keeps sending to a dead server is worse than none. Active checks ask
 * each server for /health at an interval; passive checks notice a request that could not connect. A safe
 * request (GET) that fails that way is tried once more on another server; a POST is never sent twice.
 */

import { describe, expect, it, onTestFinished } from 'vitest';
import { createDatabase } from '#kit/db';
import { expectJsonError, expectStatus } from '#kit/expect';
import { type Reply, request, serve } from '#kit/http';
import { pause, step } from '#kit/wait';
import { createLoadBalancer } from '../src/load-balancer.js';
import { startBackend, startResettingBackend } from './backends.js';
import { FAST_CHECKS, failures, healthOf, load, recordHealth, startCluster, tally } from './cluster.js';

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

  it('counts failed and passed checks in a row against the thresholds, and reports each change once', async () => {
    const checks = { ...FAST_CHECKS, healthyThreshold: 3, unhealthyThreshold: 3 };
    const { balancer, backend } = await startCluster(['A', 'B'], { healthCheck: checks });
    const health = recordHealth(balancer);
    const eventsOfB = () =>
      health.events.filter((e) => e.backend === 'B').map((e) => (e.healthy ? 'up' : 'down'));
    const b = backend('B');

    b.setHealth('fpp'); // one failed check in every three: never three in a row
    await step('B answers ten health checks', b.checkedAtLeast(10));
    expect(
      eventsOfB(),
      `B failed ${b.checks.failed} of ${b.checks.passed + b.checks.failed} checks, never 3 in a row: with unhealthyThreshold 3 it stays in (count failures in a row, and start again at each pass)`,
    ).toEqual([]);

    b.setHealth('f');
    await health.waitFor((e) => e.backend === 'B' && !e.healthy, 'B fails every check now: take it out');
    expect(
      b.checks.inARow,
      `B was taken out after ${b.checks.inARow} failed check(s) in a row: unhealthyThreshold is 3`,
    ).toBeGreaterThanOrEqual(3);

    b.setHealth('pff'); // one passed check in every three: never three in a row
    await step('B answers ten health checks', b.checkedAtLeast(10));
    expect(
      eventsOfB(),
      `B passed ${b.checks.passed} of ${b.checks.passed + b.checks.failed} checks since it went down, never 3 in a row: with healthyThreshold 3 it stays out`,
    ).toEqual(['down']);

    b.setHealth('p');
    await health.waitFor((e) => e.backend === 'B' && e.healthy, 'B passes every check now: bring it back');
    expect(
      b.checks.inARow,
      `B was brought back after ${b.checks.inARow} passed check(s) in a row: healthyThreshold is 3`,
    ).toBeGreaterThanOrEqual(3);
    expect(eventsOfB(), 'one health event per change of verdict, not one per check').toEqual(['down', 'up']);
    expect(
      health.events.filter((e) => e.backend === 'A'),
      'A passed every check: no event',
    ).toEqual([]);
  });

  it('counts a health check that gets no answer within its timeout as a failure', async () => {
    const checks = { ...FAST_CHECKS, timeoutMs: 100 };
    const { balancer, backend } = await startCluster(['A'], { healthCheck: checks });
    const health = recordHealth(balancer);
    backend('A').setHealth('h'); // /health accepts the connection and never answers
    await health.waitFor(
      (e) => e.backend === 'A' && !e.healthy,
      'A’s health page never answers, and the balancer never took A out: give each check a timeout (timeoutMs) and count it as a failure when it runs out',
    );
  });

  it('loses no GET when a server is killed mid-traffic', async () => {
    const { balancer, send, backend } = await startCluster(['A', 'B', 'C'], { healthCheck: FAST_CHECKS });
    let killed: Promise<void> | undefined;
    const results = await load(
      150,
      6,
      () => send('/whoami'),
      (done) => {
        if (done === 50) killed = backend('B').kill();
      },
    );
    await killed;
    expect(
      failures(results),
      'server B was killed after request 50: a GET that cannot reach B must be retried once on another server, and B taken out',
    ).toEqual([]);
    await healthOf(balancer, 'B', false);
    expect(balancer.inRotation().sort(), 'after the kill, only A and C are in rotation').toEqual(['A', 'C']);
  });

  it('never replays a POST: a server that dies after writing leaves one row, not two', async () => {
    const db = await createDatabase();
    await db.pool.query('CREATE TABLE photos (id serial PRIMARY KEY, title text NOT NULL)');
    const { send, backends } = await startCluster(['A', 'B'], {}, { db });
    for (const b of backends) b.crashAfterWrite();
    const reply = await step(
      'the POST never got an answer: a POST whose server failed must be answered 502 at once, not sent again',
      send('/v1/photos', { body: { title: 'sunset' } }),
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
    const health = recordHealth(balancer);
    await backend('B').kill();
    for (let i = 0; i < 9; i++)
      expectStatus(await send('/whoami'), 200, `GET ${i} after B died (no health checks configured)`);
    expect(balancer.inRotation().sort(), 'a request that could not connect to B takes B out at once').toEqual(
      ['A', 'C'],
    );
    expect(
      health.seen(),
      'and says so through onHealthChange, with a reason that names the passive check',
    ).toMatch(/^B down \(passive/);
  });

  it('brings back a server that a reset request took out, once its health checks pass', async () => {
    const { balancer, send, backend } = await startCluster(['A', 'B', 'C'], { healthCheck: FAST_CHECKS });
    const health = recordHealth(balancer);
    const b = backend('B');
    b.resetRequests(true); // B's health page still passes; its next request has its connection reset
    for (let i = 0; b.served === 0; i++) {
      expect(
        i,
        'round-robin over three healthy servers: one of the first three requests goes to B',
      ).toBeLessThan(3);
      expectStatus(await send('/whoami'), 200, `GET ${i}: a reset GET must be retried on another server`);
    }
    b.resetRequests(false);
    const down = await health.waitFor(
      (e) => e.backend === 'B' && !e.healthy,
      'B reset a request before answering: a failed request takes its server out at once (passive check)',
    );
    expect(down.reason, 'the failed request took B out, not an active check').toMatch(/^passive/);
    await health.waitFor(
      (e) => e.backend === 'B' && e.healthy,
      'B was taken out by a failed request, and its health checks have passed ever since: the active checks must bring it back',
    );
    const replies: Reply[] = [];
    for (let i = 0; i < 30; i++) replies.push(await send('/whoami'));
    expect(
      tally(replies).B ?? 0,
      `B is back: it gets its share again (${JSON.stringify(tally(replies))})`,
    ).toBeGreaterThan(0);
  });

  it('retries GET, HEAD and OPTIONS once on another server, and any other method never', async () => {
    const cases: [string, number][] = [
      ['GET', 2],
      ['HEAD', 2],
      ['OPTIONS', 2],
      ['PUT', 1],
      ['DELETE', 1],
      ['POST', 1],
    ];
    for (const [method, expected] of cases) {
      const resetting = await Promise.all(['X', 'Y', 'Z'].map(startResettingBackend));
      const balancer = createLoadBalancer({ backends: resetting.map((b) => ({ id: b.id, url: b.url })) });
      onTestFinished(() => balancer.close());
      const entry = await serve(balancer.server);
      const reply = await step(
        `${method} through a balancer whose servers all reset`,
        request(`${entry.url}/whoami`, { method }),
      );
      if (method === 'HEAD') expectStatus(reply, 502, 'a HEAD whose servers both reset the connection');
      else expectJsonError(reply, 502, `a ${method} whose every try reset the connection`);
      const attempts = resetting.reduce((sum, b) => sum + b.connections, 0);
      expect(
        attempts,
        expected === 2
          ? `a ${method} is safe to repeat: one attempt and exactly one retry on another server (more would multiply the load during an outage)`
          : `a ${method} is not in the README's list of methods to retry (GET, HEAD, OPTIONS): one attempt, then 502`,
      ).toBe(expected);
    }
  });

  it('stops its health checks on close()', async () => {
    const { backend, close } = await startCluster(['A'], { healthCheck: FAST_CHECKS });
    await step(
      `the active checks never reached A: GET ${FAST_CHECKS.path} every ${FAST_CHECKS.intervalMs} ms once the balancer starts`,
      backend('A').checkedAtLeast(2),
      2000,
    );
    await step('close() never resolved', close());
    const after = backend('A').checks.passed;
    await pause(10 * FAST_CHECKS.intervalMs); // a window in which no check may come
    expect(
      backend('A').checks.passed - after,
      'A is still being checked after close(): stop the active checks (clear their interval) in close()',
    ).toBeLessThanOrEqual(1);
  });
});
