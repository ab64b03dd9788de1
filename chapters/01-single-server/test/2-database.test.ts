/**
 * Task 2 — the data tier. The web server keeps nothing of its own: every user and photo is a row in the
 * database, so the server can restart (or, in later chapters, be one of many) without losing anything.
 * These tests read the tables `users` (id, name, email) and `photos` (id, user_id, title, url) directly.
 */

import { describe, expect, it } from 'vitest';
import { createDatabase } from '#kit/db';
import { expectStatus } from '#kit/expect';
import { migrate } from '../src/migrations.js';
import { startPhotoService, type UserJson } from './photo-service.js';

describe('Data tier: users and photos live in the database', () => {
  it('migrate() creates the schema on an empty database, and running it again changes nothing', async () => {
    const db = await createDatabase();
    await migrate(db.pool);
    await db.pool.query("INSERT INTO users (name, email) VALUES ('First', 'first@example.test')");
    await migrate(db.pool);
    const users = await db.pool.query('SELECT name FROM users');
    expect(
      users.rows,
      'a second migrate() (the next start) must keep the data and not fail on existing tables',
    ).toEqual([{ name: 'First' }]);
    const tables = await db.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const names = tables.rows.map((r) => r.table_name);
    expect(names, 'migrate() creates a users table').toContain('users');
    expect(names, 'and a photos table').toContain('photos');
  });

  it('writes each user and photo as a row', async () => {
    const { api, db } = await startPhotoService();
    const user = (
      await api('/v1/users', { body: { name: 'Ada', email: 'ada@example.test' } })
    ).json<UserJson>();
    await api(`/v1/users/${user.id}/photos`, {
      body: { title: 'Engine', url: 'https://cdn.photos.test/e.jpg' },
    });
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
    const read = await api(`/v1/users/${id}`);
    expectStatus(read, 200, `GET /v1/users/${id}, a row inserted straight into the database`);
    expect(read.json<UserJson>().name, 'read users from the database, not from memory').toBe(
      'Written elsewhere',
    );
  });

  it('keeps every user across a restart of the web server', async () => {
    const first = await startPhotoService();
    const user = (
      await first.api('/v1/users', { body: { name: 'Survivor', email: 'survivor@example.test' } })
    ).json<UserJson>();
    await first.server.kill();

    const second = await startPhotoService(first.db).catch((error: Error) => {
      throw new Error(
        `the web server failed to start a second time on the same database: migrations must apply only what is missing. ${error.message.split('\n')[0]}`,
      );
    });
    const read = await second.api(`/v1/users/${user.id}`);
    expectStatus(
      read,
      200,
      'after a restart on the same database, the user must still be there (and the second start must not fail ' +
        'on tables that already exist: migrations run once)',
    );
    expect(read.json<UserJson>().name).toBe('Survivor');
    expectStatus(
      await second.api('/v1/users', { body: { name: 'New', email: 'new@example.test' } }),
      201,
      'creating a user after the restart',
    );
  });
});
