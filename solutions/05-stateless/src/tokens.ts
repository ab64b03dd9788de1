/**
 * The token alternative: a signed JWT (HS256) carries the user, so no server keeps anything. Logout keeps
 * the token's id (jti) on a deny-list in Redis until the token would have expired anyway.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { jwtVerify, SignJWT } from 'jose';

export const ISSUER = 'zero-to-millions';
export const AUDIENCE = 'photos-api';

export interface TokenService {
  issue(user: string): Promise<string>;
  /** The user of a valid, unrevoked token; throws for anything else. */
  verify(token: string): Promise<{ user: string; jti: string; exp: number }>;
  revoke(token: string): Promise<void>;
}

export function createTokenService(redis: Redis, secret: string, ttlSeconds: number): TokenService {
  const key = new TextEncoder().encode(secret);
  const denied = (jti: string) => `revoked-token:${jti}`;
  const verify = async (token: string) => {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.jti !== 'string' ||
      typeof payload.exp !== 'number'
    ) {
      throw new Error('token without sub, jti or exp');
    }
    if (await redis.exists(denied(payload.jti))) throw new Error('token revoked');
    return { user: payload.sub, jti: payload.jti, exp: payload.exp };
  };
  return {
    issue: (user) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key),
    verify,
    async revoke(token) {
      const { jti, exp } = await verify(token);
      const left = Math.max(1, exp - Math.floor(Date.now() / 1000));
      await redis.set(denied(jti), '1', 'EX', left);
    },
  };
}
