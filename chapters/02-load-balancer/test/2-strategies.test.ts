/**
 * Task 2 — spreading the load. Round-robin takes each server in turn; least-connections sends the next
 * request to the server with the fewest in flight, which matters when some requests are slow.
 */

import { describe, expect, it } from 'vitest';
import { settled, within } from '#kit/wait';
import { startCluster, tally } from './cluster.js';

describe('Strategies: who gets the next request', () => {
  it('round-robin gives each of three servers its turn, 100 requests each out of 300', async () => {
    const { send } = await startCluster(['A', 'B', 'C'], { strategy: 'round-robin' });
    const order: string[] = [];
    for (let i = 0; i < 300; i++) {
      const reply = await send('/whoami');
      expect(reply.status, `request ${i} through the balancer`).toBe(200);
      order.push(String(reply.headers['x-backend-id']));
    }
    const counts = tally(order.map((id) => ({ headers: { 'x-backend-id': id } })));
    for (const id of ['A', 'B', 'C']) {
      const n = counts[id] ?? 0;
      expect(
        n >= 90 && n <= 110,
        `server ${id} got ${n} of 300 (all: ${JSON.stringify(counts)}); each should get 100 (±10%)`,
      ).toBe(true);
    }
    for (let i = 0; i + 3 <= order.length; i += 3) {
      expect(
        [...order.slice(i, i + 3)].sort(),
        `requests ${i}–${i + 2} went to ${order.slice(i, i + 3).join(', ')}: round-robin takes each server in turn`,
      ).toEqual(['A', 'B', 'C']);
    }
  });

  it('least-connections keeps new requests away from a server still busy with a slow one', async () => {
    const { send, backend } = await startCluster(['A', 'B', 'C'], { strategy: 'least-connections' });
    const slow = [send('/hold'), send('/hold'), send('/hold')];
    await within(
      Promise.all(['A', 'B', 'C'].map((id) => backend(id).holdingAtLeast(1))),
      3000,
      'three slow requests on three idle servers: least-connections should give each server one',
    );
    backend('A').release();
    backend('C').release();
    await settled(slow, 2);
    const before = backend('B').served;
    const replies = [];
    for (let i = 0; i < 30; i++) replies.push(await send('/whoami'));
    expect(
      backend('B').served - before,
      `B is still serving a slow request while A and C are idle: all 30 new requests should go to A or C (got ${JSON.stringify(tally(replies))})`,
    ).toBe(0);
    const counts = tally(replies);
    expect(
      Math.min(counts.A ?? 0, counts.C ?? 0),
      `the idle servers share the load: ${JSON.stringify(counts)}`,
    ).toBeGreaterThanOrEqual(10);
    backend('B').release();
    await within(
      Promise.all(slow),
      3000,
      'the slow requests did not finish after their servers released them',
    );
  });
});
