/** A web tier of N servers behind the kit's balancer, sharing one Redis store, and browsers to use it. */
import { startBalancer } from '#kit/balancer';
import { browser } from '#kit/cookies';
import type { RequestOptions } from '#kit/http';
import { serve } from '#kit/http';
import { createRedis } from '#kit/redis';
import { createWebServer } from '../src/web-server.js';

export const USERS = { ada: 'analytical-engine', lin: 'harbour-lights' };
export const ADA = { user: 'ada', password: 'analytical-engine' };
export const LIN = { user: 'lin', password: 'harbour-lights' };
export const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

/** Starts one of your web servers on the store. */
export async function startServer(id: string, store: ReturnType<typeof createRedis>) {
  const running = await serve(
    await createWebServer({ serverId: id, redis: store.connect(), users: USERS, jwtSecret: SECRET }),
  );
  return Object.assign(running, { id });
}

export async function startTier(count: number) {
  const store = createRedis();
  const balancer = await startBalancer();
  const servers = [];
  for (let i = 1; i <= count; i++) {
    const server = await startServer(`web-${i}`, store);
    balancer.add(server.id, server.url);
    servers.push(server);
  }
  return { store, balancer, servers };
}

/**
 * A browser (the kit's cookie jar) pointed at one site: `send('/me')` goes to `baseUrl + '/me'`. Cookies are
 * kept per host, whatever the port, as browsers do: the balancer and the servers behind it share them.
 */
export function visitor(baseUrl: string) {
  const jar = browser();
  return {
    send: (path: string, options: RequestOptions = {}) => jar.request(baseUrl + path, options),
    /** The session id this browser holds now, if any. */
    sid: () => jar.cookie(baseUrl, 'sid'),
    /** Gives this browser a session cookie it did not get from the site (stolen, or planted by an attacker). */
    plant: (sid: string) => jar.setCookie(baseUrl, `sid=${sid}; Path=/`),
  };
}
