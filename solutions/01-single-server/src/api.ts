/** The JSON API at `api.<domain>`: users and their photos. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { findUser, insertPhoto, insertUser, listPhotos, type PhotoRow, type UserRow } from './store.js';
import { parseId, photoBody, userBody } from './validation.js';

const host = /^api\./i;

type WithId = { Params: { id: string } };

/** Answers 400 before any query when the path's id is not one a `serial` column can hold. */
async function checkId(request: FastifyRequest<WithId>, reply: FastifyReply): Promise<void> {
  if (parseId(request.params.id) === undefined)
    await reply
      .status(400)
      .send({ error: `the id must be an integer from 1 to 2147483647, not "${request.params.id}"` });
}

export function registerApi(app: FastifyInstance, pool: Pool): void {
  app.post<{ Body: { name: string; email: string } }>(
    '/v1/users',
    { constraints: { host }, schema: { body: userBody } },
    async (request, reply) => {
      const { name, email } = request.body;
      const user = await insertUser(pool, name.trim(), email.trim().toLowerCase());
      if (!user) return reply.status(409).send({ error: `a user with the email ${email} already exists` });
      return reply.status(201).send(userJson(user));
    },
  );

  app.get<WithId>(
    '/v1/users/:id',
    { constraints: { host }, preValidation: checkId },
    async (request, reply) => {
      const user = await findUser(pool, Number(request.params.id));
      if (!user) return reply.status(404).send({ error: `no user ${request.params.id}` });
      return userJson(user);
    },
  );

  app.post<WithId & { Body: { title: string; url: string } }>(
    '/v1/users/:id/photos',
    { constraints: { host }, preValidation: checkId, schema: { body: photoBody } },
    async (request, reply) => {
      const userId = Number(request.params.id);
      if (!(await findUser(pool, userId))) return reply.status(404).send({ error: `no user ${userId}` });
      const photo = await insertPhoto(pool, userId, request.body.title.trim(), request.body.url);
      return reply.status(201).send(photoJson(photo));
    },
  );

  app.get<WithId>(
    '/v1/users/:id/photos',
    { constraints: { host }, preValidation: checkId },
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
