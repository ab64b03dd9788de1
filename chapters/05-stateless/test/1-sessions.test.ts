/**
 * Task 1 — sessions in the shared store. The session lives in Redis, keyed by an id the browser keeps in a
 * cookie. The id is the only thing between an attacker and the account: random, long, new at each login,
 * and out of reach of page scripts. And no server keeps a session in its own memory: when the session ends
 * in the store, it has ended everywhere.
 */

import { describe, expect, it } from 'vitest';
import { cookiesSet } from '#kit/cookies';
import { expectJsonError, expectStatus } from '#kit/expect';
import type { Reply } from '#kit/http';
import { ADA, LIN, startTier, visitor } from './tier.js';

/** The session cookie a reply sets, if any. */
const sidSet = (reply: Reply) => cookiesSet(reply).find((c) => c.name === 'sid');

describe('Sessions in the shared store', () => {
  it('logs in with a session cookie that page scripts cannot read and other sites cannot send', async () => {
    const { balancer } = await startTier(1);
    const client = visitor(balancer.url);
    const login = await client.send('/login', { body: ADA });
    expectStatus(login, 200, 'POST /login with the right password');
    expect(login.json(), 'POST /login answers { user, server }').toMatchObject({
      user: 'ada',
      server: 'web-1',
    });
    const cookie = sidSet(login);
    expect(cookie, 'login sets a cookie named sid').toBeDefined();
    expect(cookie?.httpOnly, 'HttpOnly: page scripts cannot read the session id (XSS cannot steal it)').toBe(
      true,
    );
    expect(
      cookie?.sameSite,
      'SameSite=Lax or Strict: other sites cannot make the browser send it (CSRF)',
    ).toMatch(/^(lax|strict)$/);
    const me = await client.send('/me');
    expectStatus(me, 200, 'GET /me with the session cookie');
    expect(me.json(), 'GET /me answers { user, server }').toMatchObject({ user: 'ada', server: 'web-1' });
    expectStatus(await client.send('/health'), 200, 'GET /health (what a balancer and an autoscaler ask)');
  });

  it('makes every session id unguessable: at least 128 random bits, never repeated', async () => {
    const { balancer } = await startTier(1);
    const ids = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const login = await visitor(balancer.url).send('/login', { body: ADA });
      const id = sidSet(login)?.value ?? '';
      const bits = /^[0-9a-f]+$/i.test(id) ? id.length * 4 : /^[A-Za-z0-9_-]+$/.test(id) ? id.length * 6 : 0;
      expect(
        bits,
        `session id "${id}": use crypto.randomBytes(16 or more), hex or base64url`,
      ).toBeGreaterThanOrEqual(128);
      ids.add(id);
    }
    expect(ids.size, '40 logins, 40 different session ids').toBe(40);
    const list = [...ids];
    const prefixes = new Set(list.map((id) => id.slice(0, 8)));
    expect(
      prefixes.size,
      'ids that share their start are predictable (a counter, a timestamp): use random bytes',
    ).toBe(40);
    const length = Math.min(...list.map((id) => id.length));
    for (let position = 0; position < length; position++) {
      const characters = new Set(list.map((id) => id[position]));
      expect(
        characters.size,
        `position ${position} of the 40 ids shows too few different characters to be random: a counter or a timestamp in the id makes it predictable`,
      ).toBeGreaterThan(4);
    }
  });

  it('issues a new session id at every login, never one the browser brought (session fixation)', async () => {
    const { balancer } = await startTier(2);
    // The attacker logs in as lin, and plants that session id in ada's browser (a shared computer, a
    // cookie set through a weak subdomain) — or plants an id that was never issued.
    const attacker = visitor(balancer.url);
    expectStatus(await attacker.send('/login', { body: LIN }), 200, 'the attacker logs in as lin');
    const attackerSid = (await attacker.sid()) ?? '';
    const madeUp = 'AttackerChosenSessionIdOf43Characters_xyz0';
    for (const [planted, what] of [
      [attackerSid, 'the attacker’s own session id'],
      [madeUp, 'a made-up session id'],
    ] as const) {
      const ada = visitor(balancer.url);
      await ada.plant(planted);
      const login = await ada.send('/login', { body: ADA });
      expectStatus(login, 200, `ada logs in with ${what} in her browser`);
      expect(
        sidSet(login)?.value ?? '(no sid set)',
        `ada’s browser brought ${what} to the login: the login must set a new id, or whoever planted it shares her session (session fixation)`,
      ).not.toBe(planted);
      const spy = visitor(balancer.url);
      await spy.plant(planted);
      const me = await spy.send('/me');
      expect(
        me.status === 200 ? me.json<{ user: string }>().user : `${me.status}`,
        `the attacker’s browser with ${what} must not be logged in as ada after her login (session fixation): issue a new id at login, never keep the one the browser sent`,
      ).not.toBe('ada');
    }
  });

  it('answers wrong credentials, bad input and missing sessions with 4xx JSON', async () => {
    const { balancer } = await startTier(1);
    const client = visitor(balancer.url);
    expectJsonError(
      await client.send('/login', { body: { user: 'ada', password: 'nope' } }),
      401,
      'a wrong password',
    );
    expectJsonError(
      await client.send('/login', { body: { user: 'mallory', password: 'x' } }),
      401,
      'an unknown user',
    );
    expectJsonError(
      await client.send('/login', { body: { user: 'ada' } }),
      400,
      'a login without a password',
    );
    expectJsonError(
      await client.send('/login', { body: '{"user":', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed JSON',
    );
    expectJsonError(await client.send('/me'), 401, 'GET /me without a session');
    await client.plant('forged-session-id-0000000000');
    expectJsonError(await client.send('/me'), 401, 'GET /me with a made-up session id');
  });

  it('slides the expiry in the store, and a session that ran out there is gone on every server', async () => {
    const { balancer, servers, store } = await startTier(2);
    const client = visitor(balancer.url);
    expectStatus(await client.send('/login', { body: ADA }), 200, 'login');
    const sid = (await client.sid()) ?? '';
    /** The same browser, talking to one server directly. */
    const on = async (server: (typeof servers)[number]) => {
      const direct = visitor(server.url);
      await direct.plant(sid);
      return direct.send('/me');
    };
    for (const server of servers) expectStatus(await on(server), 200, `GET /me on ${server.id}`);
    const keys = await store.keys();
    expect(keys.length, 'the session must be in Redis').toBeGreaterThan(0);
    for (const { key, ttl } of keys) expect(ttl, `key ${key}: a session must expire`).toBeGreaterThan(0);
    const full = Math.max(...keys.map((k) => k.ttl));
    const read = Date.now();
    for (const { key } of keys) await store.client.expire(key, 5); // as if the user had been idle
    expectStatus(await client.send('/me'), 200, 'GET /me while the session still lives');
    const after = Math.max(...(await store.keys()).map((k) => k.ttl));
    const elapsed = Math.ceil((Date.now() - read) / 1000);
    expect(
      after,
      `the session had ${full} s to live, was left 5 s, and got ${after} s after a request: each request must push the expiry back to the full time to live (sliding expiry)`,
    ).toBeGreaterThanOrEqual(full - 1 - elapsed);

    for (const { key } of keys) await store.client.del(key); // as if its time to live had run out
    for (const server of servers) {
      expectJsonError(
        await on(server),
        401,
        `GET /me on ${server.id} after the session ran out in Redis: a server must not keep sessions in its own memory, it asks the store each time`,
      );
    }
  });

  it('ends the session on logout, on every server', async () => {
    const { balancer, servers } = await startTier(3);
    const client = visitor(balancer.url);
    expectStatus(await client.send('/login', { body: ADA }), 200, 'login');
    const stolen = (await client.sid()) ?? '';
    /** A browser with the session cookie, talking to one server directly. */
    const on = async (server: (typeof servers)[number]) => {
      const direct = visitor(server.url);
      await direct.plant(stolen);
      return direct.send('/me');
    };
    // Every server serves the user once: each has had the chance to remember the session.
    for (const server of servers) expectStatus(await on(server), 200, `GET /me on ${server.id}`);
    const out = await client.send('/logout', { method: 'POST' });
    expectStatus(out, 204, 'POST /logout');
    expect(
      sidSet(out)?.expired,
      'logout also tells the browser to forget the cookie (an empty sid with Max-Age=0 or an Expires in the past)',
    ).toBe(true);
    expect(await client.sid(), 'after logout the browser holds no session cookie').toBeUndefined();
    for (const server of servers) {
      expectJsonError(
        await on(server),
        401,
        `GET /me on ${server.id} with the old cookie after logout: the session must be deleted from the store, and no server may keep a copy of it in memory`,
      );
    }
  });
});
