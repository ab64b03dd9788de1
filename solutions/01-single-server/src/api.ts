/** The JSON API at `api.<domain>`: users and their photos. */
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { findUser, insertPhoto, insertUser, listPhotos, type PhotoRow, type UserRow } from './store.js';

const host = /^api\./i;
const idParam = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } },
} as const;

export function registerApi(app: FastifyInstance, pool: Pool): void {
  app.post<{ Body: { name: string; email: string } }>(
    '/v1/users',
    {
      constraints: { host },
      schema: {
        body: {
          type: 'object',
          required: ['name', 'email'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
            email: { type: 'string', format: 'email', maxLength: 254 },
          },
        },
      },
    },
    async (request, reply) => {
      const { name, email } = request.body;
      const user = await insertUser(pool, name.trim(), email.trim().toLowerCase());
      if (!user) return reply.status(409).send({ error: `a user with the email ${email} already exists` });
      return reply.status(201).send(userJson(user));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/users/:id',
    { constraints: { host }, schema: { params: idParam } },
    async (request, reply) => {
      const user = await findUser(pool, Number(request.params.id));
      if (!user) return reply.status(404).send({ error: `no user ${request.params.id}` });
      return userJson(user);
    },
  );

  app.post<{ Params: { id: string }; Body: { title: string; url: string } }>(
    '/v1/users/:id/photos',
    {
      constraints: { host },
      schema: {
        params: idParam,
        body: {
          type: 'object',
          required: ['title', 'url'],
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
            url: { type: 'string', maxLength: 2048, pattern: '^https?://\\S+$' },
          },
        },
      },
    },
    async (request, reply) => {
      const userId = Number(request.params.id);
      if (!(await findUser(pool, userId))) return reply.status(404).send({ error: `no user ${userId}` });
      const photo = await insertPhoto(pool, userId, request.body.title.trim(), request.body.url);
      return reply.status(201).send(photoJson(photo));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/users/:id/photos',
    { constraints: { host }, schema: { params: idParam } },
    async (request, reply) => {
      const userId = Number(request.params.id);
      if (!(await findUser(pool, userId))) return reply.status(404).send({ error: `no user ${userId}` });
      return { photos: (await listPhotos(pool, userId)).map(photoJson) };
    },
  );
}

function userJson(user: UserRow) {
  return { id: user.id, name: user.name, email: user.email, createdAt: user.created_at };
}

function photoJson(photo: PhotoRow) {
  return {
    id: photo.id,
    userId: photo.user_id,
    title: photo.title,
    url: photo.url,
    createdAt: photo.created_at,
  };
}
