/**
 * The starting point (given): the photo service's web server as it was, keeping sessions in its own
 * memory. It works only if every request of a user reaches the same server — sticky sessions.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';

export async function createStatefulServer(serverId: string, users: Record<string, string>): Promise<Server> {
  const sessions = new Map<string, string>(); // the state lives here, in this process only
  const app = Fastify();
  await app.register(cookie);

  app.post<{ Body: { user?: string; password?: string } }>('/login', async (request, reply) => {
    const { user = '', password } = request.body ?? {};
    if (!Object.hasOwn(users, user) || users[user] !== password)
      return reply.status(401).send({ error: 'wrong user or password' });
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, user);
    reply.setCookie('sid', id, { path: '/', httpOnly: true, sameSite: 'lax' });
    return { user, server: serverId };
  });

  app.get('/me', async (request, reply) => {
    const sid = request.cookies.sid;
    const user = sid ? sessions.get(sid) : undefined;
    if (!user) return reply.status(401).send({ error: 'not logged in' });
    return { user, server: serverId };
  });

  await app.ready();
  return app.server;
}
