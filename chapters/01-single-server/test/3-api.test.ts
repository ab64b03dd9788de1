/**
 * Task 3 — the JSON API at api.photos.test, the mobile app's side of the web tier.
 */

import { describe, expect, it } from 'vitest';
import { describeReply, expectJsonError, expectStatus } from '#kit/expect';
import { request } from '#kit/http';
import { type PhotoJson, startPhotoService, type UserJson } from './photo-service.js';

describe('API: users and photos as JSON', () => {
  it('creates a user (201) and reads it back by id', async () => {
    const { api } = await startPhotoService();
    const created = await api('/v1/users', { body: { name: 'Ada Lovelace', email: 'ada@example.test' } });
    expectStatus(created, 201, 'POST /v1/users with a valid name and email');
    const user = created.json<UserJson>();
    expect(user, 'the created user is echoed back with its new id').toMatchObject({
      id: expect.any(Number),
      name: 'Ada Lovelace',
      email: 'ada@example.test',
    });
    expect(Number.isNaN(Date.parse(user.createdAt)), 'createdAt is a date (ISO 8601)').toBe(false);

    const read = await api(`/v1/users/${user.id}`);
    expectStatus(read, 200, `GET /v1/users/${user.id} right after creating it`);
    expect(read.json(), 'reading a user gives what creating it returned').toEqual(user);

    expectJsonError(await api('/v1/users/999999'), 404, 'GET /v1/users/999999, a user that does not exist');
  });

  it("adds photos to a user's album and lists them in the order they were added", async () => {
    const { api } = await startPhotoService();
    const user = (
      await api('/v1/users', { body: { name: 'Lin', email: 'lin@example.test' } })
    ).json<UserJson>();
    const titles = ['Sunrise', 'Harbour', 'Night market'];
    for (const title of titles) {
      const added = await api(`/v1/users/${user.id}/photos`, {
        body: { title, url: `https://cdn.photos.test/${encodeURIComponent(title)}.jpg` },
      });
      expectStatus(added, 201, `POST /v1/users/${user.id}/photos "${title}"`);
      expect(added.json<PhotoJson>(), 'the new photo names its owner').toMatchObject({
        userId: user.id,
        title,
      });
    }
    const other = (
      await api('/v1/users', { body: { name: 'Other', email: 'other@example.test' } })
    ).json<UserJson>();
    await api(`/v1/users/${other.id}/photos`, {
      body: { title: 'Not Lin’s', url: 'https://cdn.photos.test/o.jpg' },
    });
    const list = await api(`/v1/users/${user.id}/photos`);
    expectStatus(list, 200, `GET /v1/users/${user.id}/photos`);
    const photos = list.json<{ photos: PhotoJson[] }>().photos;
    expect(
      photos.map((p) => p.title),
      'the album lists every photo of this user once, oldest first, and no photo of another user',
    ).toEqual(titles);

    expectJsonError(
      await api('/v1/users/999999/photos', { body: { title: 'x', url: 'https://cdn.photos.test/x.jpg' } }),
      404,
      'adding a photo for a user that does not exist',
    );
  });

  it('answers 409 for an email that is already taken, whatever its letter case', async () => {
    const { api } = await startPhotoService();
    expectStatus(
      await api('/v1/users', { body: { name: 'Grace', email: 'grace@example.test' } }),
      201,
      'the first user with grace@example.test',
    );
    expectJsonError(
      await api('/v1/users', { body: { name: 'Grace again', email: 'Grace@Example.TEST' } }),
      409,
      'a second user with the same email in other letter case',
    );
  });

  it('lets exactly one of many simultaneous sign-ups with one email win: the database decides', async () => {
    const { api } = await startPhotoService();
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api('/v1/users', { body: { name: `Twin ${i}`, email: 'twin@example.test' } }),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(
      statuses,
      'eight sign-ups at once with one email: one 201 and seven 409. Checking first and inserting after races; ' +
        `let a UNIQUE constraint decide and turn its error into a 409. Replies: ${replies.map(describeReply).join(' | ')}`,
    ).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('passes values as query parameters, never pasted into SQL', async () => {
    const { api, db } = await startPhotoService();
    const names = ["'; DROP TABLE users; --", "Robert'); DROP TABLE photos;--", 'O\'Brien "Bob" 李 🙂'];
    for (const [i, name] of names.entries()) {
      const created = await api('/v1/users', { body: { name, email: `tricky${i}@example.test` } });
      expectStatus(created, 201, `creating a user named ${JSON.stringify(name)}`);
      const user = created.json<UserJson>();
      const read = await api(`/v1/users/${user.id}`);
      expect(read.json<UserJson>().name, 'the name comes back exactly as it was sent').toBe(name);
      const title = `it's ${i}'; DELETE FROM photos; --`;
      const photo = await api(`/v1/users/${user.id}/photos`, {
        body: { title, url: `https://cdn.photos.test/${i}'.jpg` },
      });
      expectStatus(photo, 201, `adding a photo titled ${JSON.stringify(title)}`);
    }
    const after = await api('/v1/users', { body: { name: 'Still here', email: 'after@example.test' } });
    expectStatus(after, 201, 'creating a user after the tricky names (the tables must still exist)');
    const pasted = db.statements.filter(
      (sql) => sql.includes('DROP TABLE') || sql.includes('DELETE FROM photos'),
    );
    expect(
      pasted,
      'the database received SQL with user input inside it: even escaped, that is one bug away from injection. ' +
        'Send `$1, $2` placeholders and the values separately',
    ).toEqual([]);
  });

  it('answers bad input with a 4xx JSON error, never a 500, and keeps working', async () => {
    const { api } = await startPhotoService();
    const json = { 'content-type': 'application/json' };
    const cases: {
      what: string;
      path?: string;
      body: unknown;
      headers?: Record<string, string>;
      status: number;
    }[] = [
      { what: 'malformed JSON', body: '{"name": "Ada", ', headers: json, status: 400 },
      { what: 'an empty body', body: '', headers: json, status: 400 },
      { what: 'a JSON array instead of an object', body: '[]', headers: json, status: 400 },
      { what: 'JSON null', body: 'null', headers: json, status: 400 },
      { what: 'no name', body: { email: 'a@example.test' }, status: 400 },
      { what: 'no email', body: { name: 'Ada' }, status: 400 },
      { what: 'a number as the name', body: { name: 42, email: 'a@example.test' }, status: 400 },
      { what: 'an object as the email', body: { name: 'Ada', email: { at: 'x' } }, status: 400 },
      { what: 'an email without @', body: { name: 'Ada', email: 'ada.example.test' }, status: 400 },
      { what: 'a blank name', body: { name: '   ', email: 'a@example.test' }, status: 400 },
      { what: 'a 101-character name', body: { name: 'x'.repeat(101), email: 'a@example.test' }, status: 400 },
      {
        what: 'a 20 KiB body (the limit is 16 KiB)',
        body: { name: 'x'.repeat(20_000), email: 'a@x.test' },
        status: 413,
      },
      {
        what: 'a body that is not JSON',
        body: 'name=Ada',
        headers: { 'content-type': 'text/plain' },
        status: 415,
      },
      { what: 'a photo without url', path: '/v1/users/1/photos', body: { title: 'x' }, status: 400 },
      {
        what: 'a photo whose url is not http(s)',
        path: '/v1/users/1/photos',
        body: { title: 'x', url: 'javascript:alert(1)' },
        status: 400,
      },
      {
        what: 'a user id that is not a number',
        path: '/v1/users/abc/photos',
        body: { title: 'x' },
        status: 400,
      },
    ];
    expectStatus(
      await api('/v1/users', { body: { name: 'Owner', email: 'owner@example.test' } }),
      201,
      'setup',
    );
    for (const c of cases) {
      const reply = await api(c.path ?? '/v1/users', { method: 'POST', body: c.body, headers: c.headers });
      expectJsonError(reply, c.status, `POST ${c.path ?? '/v1/users'} with ${c.what}`);
    }
    expectJsonError(await api('/v1/users/abc'), 400, 'GET /v1/users/abc (an id must be a positive integer)');
    expectStatus(
      await api('/v1/users', { body: { name: 'Fine', email: 'fine@example.test' } }),
      201,
      'a valid request after all the bad ones',
    );
  });

  it('answers 404 JSON for unknown routes and for hosts that are neither www nor api', async () => {
    const { api, www, server } = await startPhotoService();
    const user = (
      await api('/v1/users', { body: { name: 'Only via api', email: 'api@example.test' } })
    ).json<UserJson>();
    expectJsonError(await api('/v1/nothing-here'), 404, 'GET /v1/nothing-here on api.photos.test');
    expectJsonError(await api('/v1/users', { method: 'DELETE' }), 404, 'DELETE /v1/users (no such route)');
    expectJsonError(
      await request(`${server.url}/v1/users/${user.id}`, { host: 'mail.photos.test' }),
      404,
      'a request for host mail.photos.test, which this server does not serve (route by the Host header)',
    );
    const onWww = await www(`/v1/users/${user.id}`);
    expect(onWww.status, 'the JSON API lives at api.photos.test only; www.photos.test serves pages').toBe(
      404,
    );
  });
});
