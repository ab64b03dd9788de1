/**
 * Task 4 — a pool that changes. Horizontal scaling means adding servers while users are online, and taking
 * them out without cutting anyone off: a server being removed drains (finishes what it has, gets nothing new).
 */

import { describe, expect, it } from 'vitest';
import { expectStatus } from '#kit/expect';
import type { Reply } from '#kit/http';
import { step } from '#kit/wait';
import { startBackend } from './backends.js';
import { startCluster, tally, whereHeld } from './cluster.js';

describe('Pool: servers join and leave at runtime', () => {
  it('sends traffic to a server added at runtime, and none to one removed', async () => {
    const { balancer, send, backend } = await startCluster(['A', 'B']);
    const c = await startBackend('C');
    balancer.addBackend({ id: 'C', url: c.url });
    const replies: Reply[] = [];
    for (let i = 0; i < 30; i++) replies.push(await send('/whoami'));
    expect(
      tally(replies).C ?? 0,
      `C joined the pool: it should get a share of 30 requests (${JSON.stringify(tally(replies))})`,
    ).toBeGreaterThanOrEqual(8);

    await step(
      'removeBackend("A") never resolved, although A had no request in flight: a drain with nothing to wait for is over at once',
      balancer.removeBackend('A'),
    );
    expect(balancer.inRotation().sort(), 'after removing A: B and C').toEqual(['B', 'C']);
    const before = backend('A').served;
    for (let i = 0; i < 10; i++) expectStatus(await send('/whoami'), 200, `request ${i} after A was removed`);
    expect(backend('A').served - before, 'A was removed: it must get no request').toBe(0);
  });

  it('drains a server being removed: its answer in flight finishes, to the last byte, and new requests go elsewhere', async () => {
    const { balancer, send, open, backend } = await startCluster(['A', 'B']);
    const held = [open('/hold'), open('/hold')];
    const spread = await whereHeld('two slow requests reach the servers', held, [backend('A'), backend('B')]);
    expect(spread, 'two slow requests on two idle servers: round-robin gives each server one').toEqual({
      A: 1,
      B: 1,
    });
    // B starts its answer: the headers leave, the body is still to come. The request is still in flight.
    backend('B').startAnswers();
    const onB = await step(
      'B’s answer reaches the client (its status and headers)',
      Promise.race(held.map((r, i) => r.answer.then(() => i))),
    );
    let removed = false;
    const removal = balancer.removeBackend('B').then(() => {
      removed = true;
    });
    expect(balancer.inRotation(), 'a draining server leaves the rotation at once').toEqual(['A']);
    const before = backend('B').served;
    for (let i = 0; i < 10; i++) expectStatus(await send('/whoami'), 200, `request ${i} during the drain`);
    expect(backend('B').served - before, 'B is draining: it must get no new request').toBe(0);
    expect(
      removed,
      'removeBackend resolved while B was still sending the body of an answer: a request is in flight until its last byte has reached the client, and the drain must wait for it',
    ).toBe(false);

    backend('A').release();
    backend('B').release();
    const bodies = await step(
      'the requests in flight on A and B finish after their servers released them',
      Promise.all(held.map((r) => r.text.catch((error: Error) => `a broken answer (${error.message})`))),
    );
    expect(bodies[onB], 'B’s answer in flight finishes whole: draining never cuts a request').toBe(
      'first part, the rest',
    );
    expect(bodies[1 - onB], 'A’s request in flight finishes normally').toBe('{"id":"A","held":true}');
    await step('removeBackend did not resolve after B’s last request finished', removal);
    expect(balancer.inRotation(), 'after the drain, only A is left').toEqual(['A']);
  });
});
