/**
 * Task 2 — spreading the load. Round-robin takes each server in turn; least-connections sends the next
 * request to the server with the fewest in flight, which matters when some requests are slow.
 */

import { describe, expect, it } from 'vitest';
import { expectStatus } from '#kit/expect';
import type { Reply } from '#kit/http';
import { settled, step } from '#kit/wait';
import { type OpenRequest, startCluster, tally, whereHeld } from './cluster.js';

describe('Strategies: who gets the next request', () => {
  it('round-robin (the default) gives each of three servers its turn, 50 requests each out of 150', async () => {
    const { send } = await startCluster(['A', 'B', 'C']);
    const order: string[] = [];
    for (let i = 0; i < 150; i++) {
      const reply = await send('/whoami');
      expect(reply.status, `request ${i} through the balancer`).toBe(200);
      order.push(String(reply.headers['x-backend-id']));
    }
    const counts = tally(order.map((id) => ({ headers: { 'x-backend-id': id } })));
    for (const id of ['A', 'B', 'C']) {
      const n = counts[id] ?? 0;
      expect(n, `server ${id} got ${n} of 150 (all: ${JSON.stringify(counts)}); each should get 50`).toBe(50);
    }
    for (let i = 0; i + 3 <= order.length; i += 3) {
      expect(
        [...order.slice(i, i + 3)].sort(),
        `requests ${i}–${i + 2} went to ${order.slice(i, i + 3).join(', ')}: round-robin takes each server in turn`,
      ).toEqual(['A', 'B', 'C']);
    }
  });

  it('least-connections keeps new requests away from a server still busy with a slow one, body included', async () => {
    const { send, open, backend } = await startCluster(['A', 'B', 'C'], { strategy: 'least-connections' });
    const slow = [open('/hold'), open('/hold'), open('/hold')];
    const finished = new Set<OpenRequest>();
    for (const request of slow) void request.text.finally(() => finished.add(request)).catch(() => undefined);
    const spread = await whereHeld(
      'three slow requests reach the servers',
      slow,
      ['A', 'B', 'C'].map((id) => backend(id)),
    );
    expect(
      spread,
      'three slow requests on three idle servers: least-connections should give each server one',
    ).toEqual({ A: 1, B: 1, C: 1 });
    backend('A').release();
    backend('C').release();
    await step(
      'A and C answer their slow requests',
      settled(
        slow.map((r) => r.text),
        2,
      ),
    );

    const thirty = async (why: string) => {
      const before = backend('B').served;
      const replies: Reply[] = [];
      for (let i = 0; i < 30; i++) {
        const reply = await send('/whoami');
        expectStatus(reply, 200, `request ${i} while ${why}`);
        replies.push(reply);
      }
      expect(
        backend('B').served - before,
        `B is ${why} while A and C are idle: all 30 new requests should go to A or C (got ${JSON.stringify(tally(replies))})`,
      ).toBe(0);
      const counts = tally(replies);
      expect(
        Math.min(counts.A ?? 0, counts.C ?? 0),
        `the idle servers share the load in turn: ${JSON.stringify(counts)}`,
      ).toBeGreaterThanOrEqual(10);
    };
    await thirty('still working on a slow request');

    const onB = slow.find((r) => !finished.has(r));
    backend('B').startAnswers();
    await step(
      'B’s slow answer reaches the client (its status and headers)',
      onB?.answer ?? Promise.reject(),
    );
    await thirty(
      'still sending the body of a slow answer (its headers are out, its body is not: the request is in flight until its last byte)',
    );
    backend('B').release();
    expect(
      await step('the slow answer of B finishes after B released it', onB?.text ?? Promise.reject()),
      'the body of B’s answer arrives whole',
    ).toBe('first part, the rest');
  });
});
