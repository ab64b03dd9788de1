/** The token alternative: a signed JWT (jose, HS256), revocable through a deny-list. README: task 3. */
import type { Redis } from 'ioredis';

export const ISSUER = 'zero-to-millions';
export const AUDIENCE = 'photos-api';

export interface TokenService {
  issue(user: string): Promise<string>;
  /** The user of a valid, unrevoked token; throws for anything else. */
  verify(token: string): Promise<{ user: string; jti: string; exp: number }>;
  revoke(token: string): Promise<void>;
}

export function createTokenService(redis: Redis, secret: string, ttlSeconds: number): TokenService {
  return {
    async issue(user) {
      throw new Error(`TODO (README, task 3): a signed JWT for ${user} that lives ${ttlSeconds} s`);
    },
    async verify(token) {
      throw new Error('TODO (README, task 3): check the signature, the claims and the deny-list');
    },
    async revoke(token) {
      throw new Error('TODO (README, task 3): put the token on the deny-list until it would expire');
    },
  };
}
