/**
 * One stateless web server of the photo service (README, task 1). Nothing about a client stays in the
 * process between requests: sessions live in Redis (chapter 05), data in the shards (chapters 03, 09).
 *   GET  /health                    200 { server }
 *   POST /login { user }            200 { user, server }, sets the session cookie `sid`
 *   GET  /me                        200 { user, server }, or 401
 *   POST /photos { title }          201 the photo (logged in)
 *   GET  /users/:id/photos          200 the user's photos, oldest first
 *   GET  /users/:id/album           200 { photos }: the ids the workers have processed, in order
 */
import type { Server } from 'node:http';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import { albumOf, othersPhotos, ownPhotos, uploadPhoto } from './photos.js';
import type { Tiers } from './tiers.js';

export const SESSION_COOKIE = 'sid';
const MAX_USER_ID = 2_147_483_647;

const userId = { type: 'integer', minimum: 1, maximum: MAX_USER_ID } as const;

export async function createWebServer(serverId: string, tiers: Tiers): Promise<FastifyInstance<Server>> {
  const app = Fastify({ ajv: { customOptions: { coerceTypes: false } } });
  await app.register(cookie);
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 600 ? error.statusCode : 500;
    reply.status(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: `no route ${request.method} ${request.url}` }),
  );

  /** The logged-in user, from the session in Redis; 401 without one. */
  const userOf = async (request: FastifyRequest): Promise<number> => {
    const id = request.cookies[SESSION_COOKIE];
    const session = id ? await tiers.sessions.touch(id) : undefined;
    if (!session) throw new HttpError(401, 'not logged in: POST /login first');
    return Number(session.user);
  };

  app.get('/health', async () => ({ server: serverId }));

  app.post<{ Body: { user: number } }>(
    '/login',
    { schema: { body: { type: 'object', required: ['user'], properties: { user: userId } } } },
    async (request, reply) => {
      const { user } = request.body;
      const sid = await tiers.sessions.create(String(user));
      reply.setCookie(SESSION_COOKIE, sid, { httpOnly: true, sameSite: 'lax', path: '/' });
      return { user, server: serverId };
    },
  );

  app.get('/me', async (request) => ({ user: await userOf(request), server: serverId }));

  app.post<{ Body: { title: string } }>(
    '/photos',
    {
      schema: {
        body: {
          type: 'object',
          required: ['title'],
          properties: { title: { type: 'string', minLength: 1, maxLength: 200 } },
        },
      },
    },
    async (request, reply) => {
      const user = await userOf(request);
      reply.status(201);
      return uploadPhoto(tiers, user, request.body.title);
    },
  );

  const params = {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } },
  };
  const owner = (raw: string) => {
    const id = Number(raw);
    if (id > MAX_USER_ID) throw new HttpError(400, `user id must be an integer from 1 to ${MAX_USER_ID}`);
    return id;
  };

  app.get<{ Params: { id: string } }>('/users/:id/photos', { schema: { params } }, async (request) => {
    const user = owner(request.params.id);
    const me = request.cookies[SESSION_COOKIE] ? await userOf(request).catch(() => undefined) : undefined;
    return me === user ? ownPhotos(tiers, user) : othersPhotos(tiers, user);
  });

  app.get<{ Params: { id: string } }>('/users/:id/album', { schema: { params } }, async (request) => ({
    photos: await albumOf(tiers, owner(request.params.id)),
  }));

  await app.ready();
  return app;
}
