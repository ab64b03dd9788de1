/**
 * Task 2 — the data tier. The web server keeps nothing of its own: every user and photo is a row in the
 * database, so the server can restart (or, in later chapters, be one of many) without losing anything.
 * These tests call `migrate(pool)` and use the tables `users` and `photos` with plain SQL, as the README
 * names them; the web server comes in task 3.
 */

import { describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseNode } from '#kit/db';
import { step } from '#kit/wait';
import { migrate } from '../src/migrations.js';

/** A fresh database node with the schema of `migrate()`. */
async function migrated(): Promise<DatabaseNode> {
  const db = await createDatabase();
  await step('migrate(pool) on an empty database', migrate(db.pool));
  return db;
}

/** The error a statement fails with, or undefined when it succeeds. */
async function failureOf(query: Promise<unknown>): Promise<Error | undefined> {
  try {
    await query;
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('Data tier: users and photos live in the database', () => {
  it('migrate() creates the schema on an empty database, and running it again changes nothing', async () => {
    const db = await migrated();
    await db.pool.query("INSERT INTO users (name, email) VALUES ('First', 'first@example.test')");
    const again = await failureOf(step('migrate(pool) a second time', migrate(db.pool)));
    expect(
      again?.message,
      'the server runs migrate() at every start: the second run must keep the data and apply only what is ' +
        'missing (a table of applied versions), not fail on tables that exist nor drop and rebuild them',
    ).toBeUndefined();
    const users = await db.pool.query('SELECT name FROM users');
    expect(users.rows, 'a second migrate() (the next start) must keep the data').toEqual([{ name: 'First' }]);
  });

  it('creates users and photos with the columns the README names, ids and created_at filled in', async () => {
    const db = await migrated();
    const users = await db.pool.query<{ id: number; created_at: unknown }>(
      "INSERT INTO users (name, email) VALUES ('Ada', 'ada@example.test'), ('Lin', 'lin@example.test') " +
        'RETURNING id, created_at',
    );
    const [ada, lin] = users.rows;
    expect(
      users.rows.map((r) => typeof r.id),
      'users.id is a serial: the database numbers new rows itself (an integer)',
    ).toEqual(['number', 'number']);
    expect(
      (lin?.id ?? 0) > (ada?.id ?? 0) && (ada?.id ?? 0) > 0,
      `users.id counts up from 1 (serial); got ${ada?.id} then ${lin?.id}`,
    ).toBe(true);
    expect(
      users.rows.every((r) => r.created_at instanceof Date),
      'users.created_at is a timestamptz that the database fills in (DEFAULT now()) when a row leaves it out; ' +
        `got ${JSON.stringify(users.rows.map((r) => r.created_at))}`,
    ).toBe(true);
    const photo = await db.pool.query<{ id: number; created_at: unknown }>(
      'INSERT INTO photos (user_id, title, url) VALUES ($1, $2, $3) RETURNING id, created_at',
      [ada?.id, 'Engine', 'https://cdn.photos.test/e.jpg'],
    );
    expect(typeof photo.rows[0]?.id, 'photos.id is a serial too').toBe('number');
    expect(photo.rows[0]?.created_at, 'photos.created_at defaults to now() as well').toBeInstanceOf(Date);
    const read = await db.pool.query('SELECT user_id, title, url FROM photos');
    expect(read.rows, 'photos has the columns user_id, title and url').toEqual([
      { user_id: ada?.id, title: 'Engine', url: 'https://cdn.photos.test/e.jpg' },
    ]);
  });

  it('lets the database refuse a second user with the same email (a UNIQUE constraint)', async () => {
    const db = await migrated();
    await db.pool.query("INSERT INTO users (name, email) VALUES ('Grace', 'grace@example.test')");
    const second = await failureOf(
      db.pool.query("INSERT INTO users (name, email) VALUES ('Grace again', 'grace@example.test')"),
    );
    expect(
      second,
      'users.email is UNIQUE: the database itself must refuse a second row with the same email. A check in ' +
        'the code (SELECT, then INSERT) races when two sign-ups arrive together; the constraint never does',
    ).toBeInstanceOf(Error);
  });

  it('refuses a photo of a user that does not exist (photos.user_id references users)', async () => {
    const db = await migrated();
    const orphan = await failureOf(
      db.pool.query(
        "INSERT INTO photos (user_id, title, url) VALUES (424242, 'Lost', 'https://x.test/l.jpg')",
      ),
    );
    expect(
      orphan,
      'photos.user_id REFERENCES users (id): a foreign key keeps the database from holding photos of nobody',
    ).toBeInstanceOf(Error);
  });
});
