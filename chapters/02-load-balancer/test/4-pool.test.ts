/**
 * Task 4 — a pool that changes. Horizontal scaling means adding servers while users are online, and taking
 * them out without cutting anyone off: a server being removed drains (finishes what it has, gets nothing new).
 */

import { describe, expect, it } from 'vitest';
import { expectStatus } from '#kit/expect';
import { within } from '#kit/wait';
import { startBackend } from './backends.js';
import { startCluster, tally } from './cluster.js';

describe('Pool: servers join and leave at runtime', () => {
  it('sends traffic to a server added at runtime', async () => {
    const { balancer, send } = await startCluster(['A', 'B']);
    const c = await startBackend('C');
    balancer.addBackend({ id: 'C', url: c.url });
    const replies = [];
    for (let i = 0; i < 30; i++) replies.push(await send('/whoami'));
    expect(
      tally(replies).C ?? 0,
      `C joined the pool: it should get a share of 30 requests (${JSON.stringify(tally(replies))})`,
    ).toBeGreaterThanOrEqual(8);
  });

  it('drains a server being removed: its request in flight finishes, new requests go elsewhere', async () => {
    const { balancer, send, backend } = await startCluster(['A', 'B']);
    const held = [send('/hold'), send('/hold')];
    await within(
      Promise.all([backend('A').holdingAtLeast(1), backend('B').holdingAtLeast(1)]),
      3000,
      'two slow requests on two servers: each server should get one',
    );
    let removed = false;
    const removal = balancer.removeBackend('B').then(() => {
      removed = true;
    });
    expect(balancer.inRotation(), 'a draining server leaves the rotation at once').toEqual(['A']);
    const before = backend('B').served;
    for (let i = 0; i < 10; i++) expectStatus(await send('/whoami'), 200, `request ${i} during the drain`);
    expect(backend('B').served - before, 'B is draining: it must get no new request').toBe(0);
    expect(removed, 'removeBackend must wait for B’s request in flight before it resolves').toBe(false);

    backend('A').release();
    backend('B').release();
    const replies = await Promise.all(held);
    expect(
      replies.map((r) => r.status),
      'the requests in flight on A and B both finish normally',
    ).toEqual([200, 200]);
    await within(removal, 3000, 'removeBackend did not resolve after B’s last request finished');
    expect(balancer.inRotation(), 'after the drain, only A is left').toEqual(['A']);
  });
});
