/** Sessions in the shared store (Redis). README: task 1. */
import type { Redis } from 'ioredis';

export interface Session {
  user: string;
  createdAt: string;
}

export interface SessionStore {
  /** Stores a new session and returns its id: at least 128 random bits. */
  create(user: string): Promise<string>;
  /** The session, with its expiry pushed back by a full TTL; undefined when unknown or expired. */
  touch(id: string): Promise<Session | undefined>;
  destroy(id: string): Promise<void>;
}

export function createSessionStore(redis: Redis, ttlSeconds: number): SessionStore {
  return {
    async create(user) {
      throw new Error(`TODO (README, task 1): a new session for ${user}, in Redis for ${ttlSeconds} s`);
    },
    async touch(id) {
      throw new Error('TODO (README, task 1): read the session and give it its full time to live again');
    },
    async destroy(id) {
      throw new Error('TODO (README, task 1): delete the session from Redis');
    },
  };
}
