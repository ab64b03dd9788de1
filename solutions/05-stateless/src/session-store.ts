/**
 * Sessions in the shared store (Redis), so that any web server can serve any request.
 * A session id is 256 random bits; a session expires after `ttlSeconds` without use (sliding expiry).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface Session {
  user: string;
  createdAt: string;
}

export interface SessionStore {
  create(user: string): Promise<string>;
  /** The session, with its expiry pushed back by a full TTL; undefined when unknown or expired. */
  touch(id: string): Promise<Session | undefined>;
  destroy(id: string): Promise<void>;
}

export function createSessionStore(redis: Redis, ttlSeconds: number): SessionStore {
  const key = (id: string) => `session:${id}`;
  return {
    async create(user) {
      const id = randomBytes(32).toString('base64url');
      const session: Session = { user, createdAt: new Date().toISOString() };
      await redis.set(key(id), JSON.stringify(session), 'EX', ttlSeconds);
      return id;
    },
    async touch(id) {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(id)) return undefined;
      const raw = await redis.get(key(id));
      if (!raw) return undefined;
      await redis.expire(key(id), ttlSeconds);
      return JSON.parse(raw) as Session;
    },
    async destroy(id) {
      await redis.del(key(id));
    },
  };
}
