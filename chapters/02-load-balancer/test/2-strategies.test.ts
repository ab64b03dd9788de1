/**
 * Task 2 — spreading the load. Round-robin takes each server in turn; least-connections sends the next
 * request to the server with the fewest in flight, which matters when some requests are slow.
 */

import { describe, expect, it } from 'vitest';
import { settled, within } from '#kit/wait';
import { load, startCluster, tally } from './cluster.js';

describe('Strategies: who gets the next request', () => {
  it('round-robin spreads 300 requests evenly over three servers (±10%)', async () => {
    const { send } = await startCluster(['A', 'B', 'C'], { strategy: 'round-robin' });
    const results = await load(300, 10, () => send('/whoami'));
    const replies = results.map((r) => (r.status === 'fulfilled' ? r.value : { status: 0, headers: {} }));
    expect(
      replies.filter((r) => r.status !== 200).length,
      'every request through the balancer succeeds',
    ).toBe(0);
    const counts = tally(replies);
    for (const id of ['A', 'B', 'C']) {
      expect(
        counts[id] ?? 0,
        `server ${id} got ${counts[id] ?? 0} of 300 (all: ${JSON.stringify(counts)}); each should get 90–110`,
      ).toBeGreaterThanOrEqual(90);
      expect(counts[id] ?? 0).toBeLessThanOrEqual(110);
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
    await Promise.all(slow);
  });
});
