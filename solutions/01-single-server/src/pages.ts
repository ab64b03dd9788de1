/** The HTML site at `www.<domain>`: what the browser shows. Every value from the database is escaped. */
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { findUser, listPhotos, recentUsers } from './store.js';
import { parseId } from './validation.js';

const host = /^www\./i;

export function registerPages(app: FastifyInstance, pool: Pool): void {
  app.get('/', { constraints: { host } }, async (_request, reply) => {
    const users = await recentUsers(pool, 20);
    const items = users.map((u) => `<li><a href="/users/${u.id}">${escapeHtml(u.name)}</a></li>`).join('');
    return reply.type('text/html; charset=utf-8').send(page('Photos', `<h1>Photos</h1><ul>${items}</ul>`));
  });

  app.get<{ Params: { id: string } }>('/users/:id', { constraints: { host } }, async (request, reply) => {
    const id = parseId(request.params.id);
    const user = id ? await findUser(pool, id) : undefined;
    if (!user)
      return reply.status(404).type('text/html; charset=utf-8').send(page('Not found', '<h1>Not found</h1>'));
    const photos = (await listPhotos(pool, user.id))
      .map(
        (p) => `<li><img src="${escapeHtml(p.url)}" alt="${escapeHtml(p.title)}">${escapeHtml(p.title)}</li>`,
      )
      .join('');
    return reply
      .type('text/html; charset=utf-8')
      .send(page(user.name, `<h1>${escapeHtml(user.name)}</h1><ul class="photos">${photos}</ul>`));
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
