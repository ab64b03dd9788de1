/**
 * Task 4 — autoscaling. A stateless tier can grow and shrink with the load. Growing is easy; shrinking
 * must drain a server first (out of the balancer, requests in flight finish), then stop it.
 */

import { describe, expect, it } from 'vitest';
import { startBalancer } from '#kit/balancer';
import { expectStatus } from '#kit/expect';
import { createRedis } from '#kit/redis';
import { createAutoscaler } from '../src/autoscaler.js';
import { ADA, LIN, startServer, visitor } from './tier.js';

async function startFleet(min: number, max: number) {
  const store = createRedis();
  const balancer = await startBalancer();
  let started = 0;
  /** Servers stopped before the balancer had drained them. */
  const stoppedTooEarly: string[] = [];
  /** The servers whose removal from the balancer has finished: out of it, and drained. */
  const drained = new Set<string>();
  const scaler = await createAutoscaler({
    startServer: async () => {
      const server = await startServer(`web-${++started}`, store);
      const close = server.close;
      return Object.assign(server, {
        close: () => {
          const state = balancer.state(server.id);
          if (state !== 'absent')
            stoppedTooEarly.push(`${server.id} was stopped while ${state} in the balancer`);
          else if (!drained.has(server.id))
            stoppedTooEarly.push(
              `${server.id} was stopped before balancer.remove('${server.id}') had resolved`,
            );
          return close();
        },
      });
    },
    balancer: {
      add: (id, url) => balancer.add(id, url),
      remove: (id) =>
        balancer.remove(id).then(() => {
          drained.add(id);
        }),
    },
    min,
    max,
    targetPerServer: 100,
  });
  return { balancer, scaler, stoppedTooEarly };
}

describe('Autoscaling the stateless tier', () => {
  it('scales 2 → 5 → 1 under steady traffic with no failed request and no logout', async () => {
    const { balancer, scaler, stoppedTooEarly } = await startFleet(1, 10);
    await scaler.scaleFor(200);
    expect(balancer.ids().length, 'a load of 200 at 100 per server: 2 servers').toBe(2);

    const users = [visitor(balancer.url), visitor(balancer.url), visitor(balancer.url)];
    for (const [i, user] of users.entries())
      expectStatus(await user.send('/login', { body: i % 2 ? LIN : ADA }), 200, `user ${i} logs in`);
    const failures: string[] = [];
    let requests = 0;
    let running = true;
    let waiting: { count: number; resolve: () => void } | undefined;
    /** Resolves once the traffic has made `more` further requests. */
    const steady = (more: number) =>
      new Promise<void>((resolve) => (waiting = { count: requests + more, resolve }));
    const traffic = users.map(async (user, i) => {
      while (running) {
        const reply = await user.send('/me').catch((error: Error) => ({ status: 0, text: error.message }));
        requests += 1;
        if (reply.status !== 200) failures.push(`user ${i}: ${reply.status} ${reply.text.slice(0, 120)}`);
        if (waiting && requests >= waiting.count) waiting.resolve();
      }
    });

    await steady(30);
    await scaler.scaleFor(420);
    expect(balancer.ids().length, 'a load of 420 at 100 per server: ceil(4.2) = 5 servers').toBe(5);
    await steady(60);
    const shrinking = scaler.scaleFor(30);
    await steady(30);
    await shrinking;
    expect(balancer.ids().length, 'a load of 30: down to 1 server').toBe(1);
    await steady(30);
    running = false;
    await Promise.all(traffic);

    expect(
      stoppedTooEarly,
      'a server must leave the balancer and finish draining (await balancer.remove) before it is stopped',
    ).toEqual([]);
    expect(
      failures,
      'a server leaving must drain first (out of the balancer, in-flight requests done) and only then stop; ' +
        'and a user must never be logged out by scaling (401) since sessions are in Redis',
    ).toEqual([]);
    await scaler.shutdown();
  });

  it('stays within its bounds', async () => {
    const { balancer, scaler } = await startFleet(2, 4);
    expect(balancer.ids().length, 'it starts with min servers').toBe(2);
    await scaler.scaleFor(10_000);
    expect(scaler.servers().length, 'never more than max').toBe(4);
    await scaler.scaleFor(0);
    expect(scaler.servers().length, 'never fewer than min').toBe(2);
    expect(balancer.ids().sort(), 'the balancer sends to exactly the running servers').toEqual(
      [...scaler.servers()].sort(),
    );
    await scaler.shutdown();
  });

  it('runs one scaling at a time, and shuts down by draining every server', async () => {
    const { balancer, scaler, stoppedTooEarly } = await startFleet(1, 10);
    await Promise.all([scaler.scaleFor(900), scaler.scaleFor(100)]);
    expect(
      scaler.servers().length,
      'scaleFor(900) then scaleFor(100), called together: the last call wins (1 server); two scalings at once must not interleave',
    ).toBe(1);
    expect(balancer.ids().length).toBe(1);
    await scaler.scaleFor(300);
    await scaler.shutdown();
    expect(balancer.ids(), 'after shutdown() no server is in the balancer').toEqual([]);
    expect(scaler.servers(), 'and none is running').toEqual([]);
    expect(stoppedTooEarly, 'shutdown() also drains each server before stopping it').toEqual([]);
  });
});
