/**
 * Task 3 — the token alternative. A JSON Web Token carries the user, signed by the servers' shared secret:
 * any server can check it without asking anyone. Everything about it must be checked: the signature, the
 * algorithm, the expiry, who issued it and for whom.
 */

import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { expectJsonError, expectStatus } from '#kit/expect';
import { request } from '#kit/http';
import { SECRET, startTier } from './tier.js';

const key = (secret: string) => new TextEncoder().encode(secret);
const claims = { iss: 'zero-to-millions', aud: 'photos-api' };

async function token(url: string): Promise<string> {
  const reply = await request(`${url}/api/token`, { body: { user: 'ada', password: 'analytical-engine' } });
  expectStatus(reply, 200, 'POST /api/token with the right password');
  return reply.json<{ token: string }>().token;
}

const me = (url: string, bearer: string) =>
  request(`${url}/api/me`, { headers: { authorization: `Bearer ${bearer}` } });

/** The JSON of one part of a JWT (header or payload), or undefined when it is not base64url JSON. */
function part(jwt: string, index: number): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

describe('JWT: signed, checked, revocable', () => {
  it('issues a token that every server accepts, with the claims the README lists', async () => {
    const { servers } = await startTier(2);
    const jwt = await token(servers[0]?.url ?? '');
    expect(jwt.split('.').length, 'a JWT has three parts: header.payload.signature').toBe(3);
    expect(part(jwt, 0)?.alg, 'the header says how it was signed: HS256').toBe('HS256');
    const claims = part(jwt, 1) ?? {};
    const now = Math.floor(Date.now() / 1000);
    expect(claims, 'the payload names the user (sub), the issuer (iss) and the audience (aud)').toMatchObject(
      {
        sub: 'ada',
        iss: 'zero-to-millions',
        aud: 'photos-api',
      },
    );
    expect(
      typeof claims.exp === 'number' && claims.exp - now > 900 - 60 && claims.exp - now <= 900 + 1,
      `exp ${String(claims.exp)} is ${Number(claims.exp) - now} s from now: a token lives tokenTtlSeconds, 900 s by default`,
    ).toBe(true);
    const other = await token(servers[1]?.url ?? '');
    expect(
      typeof claims.jti === 'string' && claims.jti !== part(other, 1)?.jti,
      `jti ${JSON.stringify(claims.jti)}: every token has an id of its own (the deny-list revokes by it)`,
    ).toBe(true);
    for (const server of servers) {
      const reply = await me(server.url, jwt);
      expectStatus(reply, 200, `GET /api/me on ${server.id} with the token issued by web-1`);
      expect(reply.json()).toMatchObject({ user: 'ada' });
    }
    expectJsonError(
      await request(`${servers[0]?.url}/api/token`, { body: { user: 'ada', password: 'x' } }),
      401,
      'a token for a wrong password',
    );
    expectJsonError(
      await request(`${servers[0]?.url}/api/token`, { body: { user: 'ada' } }),
      400,
      'a token request without a password',
    );
  });

  it('refuses forged, tampered, expired and misdirected tokens with 401 JSON', async () => {
    const { servers } = await startTier(1);
    const url = servers[0]?.url ?? '';
    const good = await token(url);
    const [header, payload, signature] = good.split('.');
    const now = Math.floor(Date.now() / 1000);
    // Every crafted token has a jti, so that each case is refused for the one thing wrong with it.
    const signed = (body: Record<string, unknown>, secret = SECRET) =>
      new SignJWT({ jti: randomUUID(), ...body }).setProtectedHeader({ alg: 'HS256' }).sign(key(secret));
    const control = await signed({ ...claims, sub: 'ada', exp: now + 600 });
    expectStatus(
      await me(url, control),
      200,
      'a token crafted with the shared secret and the right claims (iss, aud, sub, exp, jti): the control case',
    );
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cases: [string, string][] = [
      [
        'a payload changed after signing (sub: mallory)',
        `${header}.${b64({ ...claims, sub: 'mallory', exp: now + 600, jti: randomUUID() })}.${signature}`,
      ],
      ['an unsigned token (alg: none)', `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`],
      [
        'a token signed with another key',
        await signed({ ...claims, sub: 'ada', exp: now + 600 }, 'another-secret-of-at-least-32-bytes!!'),
      ],
      ['an expired token', await signed({ ...claims, sub: 'ada', exp: now - 60 })],
      [
        'a token from another issuer',
        await signed({ iss: 'somebody-else', aud: 'photos-api', sub: 'ada', exp: now + 600 }),
      ],
      [
        'a token for another audience',
        await signed({ iss: 'zero-to-millions', aud: 'billing-api', sub: 'ada', exp: now + 600 }),
      ],
      ['a token without an expiry', await signed({ ...claims, sub: 'ada' })],
      ['not a token at all', 'hello'],
    ];
    for (const [what, forged] of cases)
      expectJsonError(await me(url, forged), 401, `GET /api/me with ${what}`);
    expectJsonError(await request(`${url}/api/me`), 401, 'GET /api/me without an Authorization header');
  });

  it('revokes a token on logout, on every server, until it would have expired', async () => {
    const { servers, store } = await startTier(2);
    const jwt = await token(servers[0]?.url ?? '');
    // Every server accepts the token once: each has had the chance to remember that it was good.
    for (const server of servers)
      expectStatus(await me(server.url, jwt), 200, `GET /api/me on ${server.id} before the logout`);
    const out = await request(`${servers[0]?.url}/api/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}` },
    });
    expectStatus(out, 204, 'POST /api/logout with the token');
    for (const server of servers) {
      expectJsonError(
        await me(server.url, jwt),
        401,
        `GET /api/me on ${server.id} with the revoked token: every server checks the deny-list in Redis on every request (no verdict kept in memory)`,
      );
    }
    const keys = await store.keys();
    expect(keys.length, 'the revocation must be kept in Redis, where every server sees it').toBeGreaterThan(
      0,
    );
    const lifetime = 900; // the token lives 15 minutes (tokenTtlSeconds default)
    for (const { key, ttl } of keys) {
      expect(
        ttl > lifetime - 30 && ttl <= lifetime,
        `key ${key} has TTL ${ttl}: a deny-list entry must live until the token would expire (about ${lifetime} s), and no longer`,
      ).toBe(true);
    }
  });
});
