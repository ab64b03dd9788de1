/**
 * Task 3 — the web tier on the data tier. The web server keeps nothing of its own: what the API writes is a
 * row in the database, what it reads comes from the database, and a restart loses nothing.
 */

import { describe, expect, it } from 'vitest';
import { expectStatus } from '#kit/expect';
import { step } from '#kit/wait';
import { startPhotoService, type UserJson } from './photo-service.js';

describe('Web tier on the data tier: every user and photo is a row', () => {
  it('writes each user and photo as a row', async () => {
    const { api, db } = await startPhotoService();
    const created = await api('/v1/users', { body: { name: 'Ada', email: 'ada@example.test' } });
    expectStatus(created, 201, 'POST /v1/users');
    const user = created.json<UserJson>();
    expectStatus(
      await api(`/v1/users/${user.id}/photos`, {
        body: { title: 'Engine', url: 'https://cdn.photos.test/e.jpg' },
      }),
      201,
      `POST /v1/users/${user.id}/photos`,
    );
    const users = await db.pool.query('SELECT id, name, email FROM users');
    expect(users.rows, 'POST /v1/users must INSERT a row into users').toEqual([
      { id: user.id, name: 'Ada', email: 'ada@example.test' },
    ]);
    const photos = await db.pool.query('SELECT user_id, title, url FROM photos');
    expect(photos.rows, 'POST /v1/users/:id/photos must INSERT a row into photos').toEqual([
      { user_id: user.id, title: 'Engine', url: 'https://cdn.photos.test/e.jpg' },
    ]);
  });

  it('serves rows that another process wrote: the database is the source of truth', async () => {
    const { api, db } = await startPhotoService();
    const other = db.connect();
    const inserted = await other.query<{ id: number }>(
      "INSERT INTO users (name, email) VALUES ('Written elsewhere', 'else@example.test') RETURNING id",
    );
    const id = inserted.rows[0]?.id;
    await other.query(
      "INSERT INTO photos (user_id, title, url) VALUES ($1, 'Elsewhere', 'https://x.test/e.jpg')",
      [id],
    );
    const read = await api(`/v1/users/${id}`);
    expectStatus(read, 200, `GET /v1/users/${id}, a row inserted straight into the database`);
    expect(read.json<UserJson>().name, 'read users from the database, not from memory').toBe(
      'Written elsewhere',
    );
    const album = await api(`/v1/users/${id}/photos`);
    expectStatus(album, 200, `GET /v1/users/${id}/photos, a photo inserted straight into the database`);
    expect(
      album.json<{ photos: { title: string }[] }>().photos.map((p) => p.title),
      'read photos from the database, not from memory',
    ).toEqual(['Elsewhere']);
  });

  it('keeps every user across a restart of the web server', async () => {
    const first = await startPhotoService();
    const user = (
      await first.api('/v1/users', { body: { name: 'Survivor', email: 'survivor@example.test' } })
    ).json<UserJson>();
    await first.server.kill();

    const second = await step(
      'a second web server starts on the same database (createWebServer runs migrate() again)',
      startPhotoService(first.db),
    ).catch((error: Error) => {
      throw new Error(
        `the web server failed to start a second time on the same database: migrations must apply only what is missing. ${error.message.split('\n')[0]}`,
      );
    });
    const read = await second.api(`/v1/users/${user.id}`);
    expectStatus(read, 200, 'after a restart on the same database, the user must still be there');
    expect(read.json<UserJson>().name).toBe('Survivor');
    expectStatus(
      await second.api('/v1/users', { body: { name: 'New', email: 'new@example.test' } }),
      201,
      'creating a user after the restart',
    );
  });
});
