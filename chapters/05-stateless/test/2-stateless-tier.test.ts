/**
 * Task 2 — the stateless web tier. With the state outside the servers, any server can serve any request,
 * and losing a server loses no one's session. The given stateful server (test/stateful-app.ts) shows the
 * alternative: it needs sticky sessions, and its users are logged out when their server dies.
 */

import { describe, expect, it } from 'vitest';
import { startBalancer } from '#kit/balancer';
import { expectStatus } from '#kit/expect';
import { serve } from '#kit/http';
import { createStatefulServer } from './stateful-app.js';
import { ADA, LIN, startTier, USERS, visitor } from './tier.js';

describe('Stateless web tier', () => {
  it('lets any server serve any request behind a round-robin balancer', async () => {
    const { balancer } = await startTier(3);
    const client = visitor(balancer.url);
    expectStatus(await client.send('/login', { body: LIN }), 200, 'login');
    const served = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const me = await client.send('/me');
      expectStatus(
        me,
        200,
        `request ${i}, served by ${me.headers['x-served-by']}: a server that did not log the user in must still find the session in Redis`,
      );
      served.add(me.json<{ server: string }>().server);
    }
    expect(served.size, 'round-robin over three servers: all three served the logged-in user').toBe(3);
  });

  it('loses no session when a server dies, where sticky sessions with in-memory state do', async () => {
    // The old way: state in memory, sticky sessions at the balancer.
    const sticky = await startBalancer({ sticky: true });
    const stateful = [];
    for (const id of ['old-1', 'old-2']) {
      const server = await serve(await createStatefulServer(id, USERS));
      sticky.add(id, server.url);
      stateful.push({ id, server });
    }
    const oldUser = visitor(sticky.url);
    const login = await oldUser.send('/login', { body: ADA });
    const home = stateful.find((s) => s.id === login.json<{ server: string }>().server);
    expect(home, 'the given stateful server logged the user in').toBeDefined();
    await home?.server.kill();
    await sticky.remove(home?.id ?? '');
    expect(
      (await oldUser.send('/me')).status,
      'the given stateful server: its user’s session died with it',
    ).toBe(401);

    // The stateless tier.
    const { balancer, servers } = await startTier(3);
    const user = visitor(balancer.url);
    expectStatus(await user.send('/login', { body: ADA }), 200, 'login');
    const victim = servers[0];
    await victim?.kill();
    await balancer.remove(victim?.id ?? '');
    for (let i = 0; i < 6; i++) {
      expectStatus(
        await user.send('/me'),
        200,
        `request ${i} after web-1 died: the session is in Redis, so the user stays logged in`,
      );
    }
  });
});
