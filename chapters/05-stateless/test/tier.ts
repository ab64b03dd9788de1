/** A web tier of N servers behind the kit's balancer, sharing one Redis store, and a browser-like client. */
import { startBalancer } from '#kit/balancer';
import { type RequestOptions, request, serve } from '#kit/http';
import { createRedis } from '#kit/redis';
import { createWebServer } from '../src/web-server.js';

export const USERS = { ada: 'analytical-engine', lin: 'harbour-lights' };
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

/** A client that keeps cookies between requests, as a browser does. */
export function browser(baseUrl: string) {
  const jar = new Map<string, string>();
  return {
    jar,
    async send(path: string, options: RequestOptions = {}) {
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const reply = await request(baseUrl + path, {
        ...options,
        headers: { ...options.headers, ...(cookie ? { cookie } : {}) },
      });
      for (const line of [reply.headers['set-cookie'] ?? []].flat()) {
        const [pair = '', ...attributes] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attributes.some(
          (a) =>
            /^\s*max-age=0\s*$/i.test(a) ||
            (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()),
        );
        if (!value || expired) jar.delete(name);
        else jar.set(name, value);
      }
      return reply;
    },
  };
}

/** The Set-Cookie line that sets the session cookie `sid`, if any. */
export function sessionCookie(headers: Record<string, unknown>): string | undefined {
  return [headers['set-cookie'] ?? []]
    .flat()
    .map(String)
    .find((line) => line.startsWith('sid='));
}
