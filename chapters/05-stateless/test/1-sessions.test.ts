/**
 * Task 1 — sessions in the shared store. The session lives in Redis, keyed by an id the browser keeps in a
 * cookie. The id is the only thing between an attacker and the account: random, long, and out of reach of
 * page scripts.
 */

import { describe, expect, it } from 'vitest';
import { expectJsonError, expectStatus } from '#kit/expect';
import { browser, sessionCookie, startTier } from './tier.js';

const ADA = { user: 'ada', password: 'analytical-engine' };

describe('Sessions in the shared store', () => {
  it('logs in with a session cookie that page scripts cannot read and other sites cannot send', async () => {
    const { balancer } = await startTier(1);
    const client = browser(balancer.url);
    const login = await client.send('/login', { body: ADA });
    expectStatus(login, 200, 'POST /login with the right password');
    const cookie = sessionCookie(login.headers);
    expect(cookie, 'login sets a cookie named sid').toBeDefined();
    expect(cookie, 'HttpOnly: page scripts cannot read the session id (XSS cannot steal it)').toMatch(
      /;\s*HttpOnly/i,
    );
    expect(cookie, 'SameSite: other sites cannot make the browser send it (CSRF)').toMatch(
      /;\s*SameSite=(Lax|Strict)/i,
    );
    const me = await client.send('/me');
    expectStatus(me, 200, 'GET /me with the session cookie');
    expectStatus(await client.send('/health'), 200, 'GET /health (what a balancer and an autoscaler ask)');
    expect(me.json()).toMatchObject({ user: 'ada' });
  });

  it('makes every session id unguessable: at least 128 random bits, never repeated', async () => {
    const { balancer } = await startTier(1);
    const ids = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const login = await browser(balancer.url).send('/login', { body: ADA });
      const id = /^sid=([^;]*)/.exec(sessionCookie(login.headers) ?? '')?.[1] ?? '';
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
        `position ${position} of the 40 ids shows too few different characters to be random`,
      ).toBeGreaterThan(4);
    }
  });

  it('answers wrong credentials, bad input and missing sessions with 4xx JSON', async () => {
    const { balancer } = await startTier(1);
    const client = browser(balancer.url);
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
    expectJsonError(
      await client.send('/me', { headers: { cookie: 'sid=forged-session-id-0000000000' } }),
      401,
      'GET /me with a made-up session id',
    );
  });

  it('slides the expiry: every request gives the session its full time to live again', async () => {
    const { balancer, store } = await startTier(1);
    const client = browser(balancer.url);
    await client.send('/login', { body: ADA });
    const keys = await store.keys();
    expect(keys.length, 'the session must be in Redis').toBeGreaterThan(0);
    for (const { key, ttl } of keys) expect(ttl, `key ${key}: a session must expire`).toBeGreaterThan(0);
    const full = Math.max(...keys.map((k) => k.ttl));
    for (const { key } of keys) await store.client.expire(key, 5); // as if the user had been idle
    expectStatus(await client.send('/me'), 200, 'GET /me while the session still lives');
    const after = await store.keys();
    expect(
      Math.max(...after.map((k) => k.ttl)),
      'the request must push the expiry back to the full time to live',
    ).toBeGreaterThanOrEqual(full - 2);
  });

  it('ends the session on logout, on every server', async () => {
    const { balancer } = await startTier(3);
    const client = browser(balancer.url);
    await client.send('/login', { body: ADA });
    const stolen = [...client.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const out = await client.send('/logout', { method: 'POST' });
    expectStatus(out, 204, 'POST /logout');
    expect(
      String(out.headers['set-cookie'] ?? ''),
      'logout also tells the browser to forget the cookie (an empty sid with Max-Age=0 or an Expires in the past)',
    ).toMatch(/sid=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    for (let i = 0; i < 3; i++) {
      expectJsonError(
        await browser(balancer.url).send('/me', { headers: { cookie: stolen } }),
        401,
        `request ${i} with the old cookie after logout (it must be deleted from the store, not just from the browser)`,
      );
    }
  });
});
