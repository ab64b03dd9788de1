/**
 * Task 3 — the JSON API at api.photos.test, the mobile app's side of the web tier.
 */

import { describe, expect, it } from 'vitest';
import { describeReply, expectJsonError, expectStatus } from '#kit/expect';
import { type Reply, request } from '#kit/http';
import { step } from '#kit/wait';
import { type PhotoJson, startPhotoService, type UserJson } from './photo-service.js';

/** The body limit of the README: 16 KiB. */
const LIMIT = 16 * 1024;

/** A valid sign-up body of exactly `bytes` bytes (JSON padded with spaces, which JSON allows). */
function signUpOfSize(bytes: number, email: string): string {
  const start = `{"name":"Padded","email":"${email}"`;
  return `${start}${' '.repeat(bytes - start.length - 1)}}`;
}

/** An email of exactly `length` characters: one @, dotted labels of at most 60 letters. */
function emailOfLength(length: number): string {
  const local = 'u';
  let domain = 'test';
  const letters = 'abcdefghij';
  for (let i = 0; domain.length < length - local.length - 1; i += 1) {
    const room = length - local.length - 1 - domain.length - 1;
    domain = `${(letters[i % letters.length] ?? 'x').repeat(Math.min(60, Math.max(1, room)))}.${domain}`;
  }
  return `${local}@${domain}`;
}

/** Expects a 404 for a route or host that does not exist, or a 405 with an Allow header (RFC 9110). */
function expectNoSuchRoute(reply: Reply, what: string, allowed: string): void {
  if (reply.status === 405) {
    expectJsonError(reply, 405, what);
    expect(
      String(reply.headers.allow ?? ''),
      `${what}: a 405 says which methods the path does have, in an Allow header (RFC 9110); got ${describeReply(reply)}`,
    ).toContain(allowed);
  } else {
    expectJsonError(reply, 404, `${what} (no such route: 404, or 405 with an Allow header)`);
  }
}

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

  it('stores emails in lower case, so every reader sees one spelling', async () => {
    const { api, db } = await startPhotoService();
    const created = await api('/v1/users', {
      body: { name: 'Brian', email: 'O.Brien+Photos@Mail.Example.TEST' },
    });
    expectStatus(
      created,
      201,
      'POST /v1/users with an email in mixed case (dots, a +tag and capitals are fine)',
    );
    const user = created.json<UserJson>();
    const lower = 'o.brien+photos@mail.example.test';
    expect(user.email, 'the email is stored in lower case: the reply shows the stored value').toBe(lower);
    expect(
      (await api(`/v1/users/${user.id}`)).json<UserJson>().email,
      'GET /v1/users/:id shows the email in lower case',
    ).toBe(lower);
    const rows = await db.pool.query('SELECT email FROM users');
    expect(
      rows.rows,
      'the users row holds the email in lower case (README): compare and store one spelling, not the one typed',
    ).toEqual([{ email: lower }]);
  });

  it("adds photos to a user's album and lists them in the order they were added", async () => {
    const { api } = await startPhotoService();
    const user = (
      await api('/v1/users', { body: { name: 'Lin', email: 'lin@example.test' } })
    ).json<UserJson>();
    const titles = ['Sunrise', 'Harbour', 'Night market'];
    for (const title of titles) {
      const url = `https://cdn.photos.test/${encodeURIComponent(title)}.jpg`;
      const added = await api(`/v1/users/${user.id}/photos`, { body: { title, url } });
      expectStatus(added, 201, `POST /v1/users/${user.id}/photos "${title}"`);
      const photo = added.json<PhotoJson>();
      expect(photo, 'the new photo is echoed back with its id and names its owner').toMatchObject({
        id: expect.any(Number),
        userId: user.id,
        title,
        url,
      });
      expect(Number.isNaN(Date.parse(photo.createdAt)), 'a photo has a createdAt date (ISO 8601)').toBe(
        false,
      );
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

  it('answers 404 for the album of a user that does not exist, not an empty album', async () => {
    const { api } = await startPhotoService();
    const user = (
      await api('/v1/users', { body: { name: 'No photos yet', email: 'empty@example.test' } })
    ).json<UserJson>();
    const empty = await api(`/v1/users/${user.id}/photos`);
    expectStatus(empty, 200, `GET /v1/users/${user.id}/photos of a user without photos`);
    expect(empty.json(), 'a user without photos has an empty album').toEqual({ photos: [] });
    expectJsonError(
      await api('/v1/users/999999/photos'),
      404,
      'GET /v1/users/999999/photos: there is no such user, so there is no album to list (an empty list ' +
        'would say the user exists)',
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
      'a second user with Grace@Example.TEST: emails are stored in lower case, so this is the same email, a 409',
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
    const markers = ['DROP TABLE', 'DELETE FROM photos', 'tricky', '李', 'cdn.photos.test/', 'Still here'];
    const pasted = db.statements.filter((sql) => markers.some((marker) => sql.includes(marker)));
    expect(
      pasted,
      'the database received SQL with user input inside it: even escaped, that is one bug away from injection. ' +
        'Send `$1, $2` placeholders and the values separately',
    ).toEqual([]);
  });

  it('answers malformed or oversized bodies with a 4xx JSON error (400, 413, 415), never a 500', async () => {
    const { api } = await startPhotoService();
    const json = { 'content-type': 'application/json' };
    const cases: { what: string; body: unknown; headers?: Record<string, string>; status: number }[] = [
      { what: 'malformed JSON', body: '{"name": "Ada", ', headers: json, status: 400 },
      { what: 'an empty body', body: '', headers: json, status: 400 },
      { what: 'a JSON array instead of an object', body: '[]', headers: json, status: 400 },
      { what: 'JSON null', body: 'null', headers: json, status: 400 },
      { what: 'no name', body: { email: 'a@example.test' }, status: 400 },
      { what: 'no email', body: { name: 'Ada' }, status: 400 },
      { what: 'a number as the name', body: { name: 42, email: 'a@example.test' }, status: 400 },
      { what: 'an object as the email', body: { name: 'Ada', email: { at: 'x' } }, status: 400 },
      {
        what: `a body of ${LIMIT + 1} bytes, one byte over the 16 KiB limit`,
        body: signUpOfSize(LIMIT + 1, 'big@example.test'),
        headers: json,
        status: 413,
      },
      {
        what: 'a 20 KiB body',
        body: { name: 'x'.repeat(20_000), email: 'a@x.test' },
        status: 413,
      },
      {
        what: 'a text/plain body',
        body: 'name=Ada',
        headers: { 'content-type': 'text/plain' },
        status: 415,
      },
      {
        what: 'a form body',
        body: 'name=Ada&email=a%40example.test',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        status: 415,
      },
    ];
    for (const c of cases) {
      const reply = await api('/v1/users', { method: 'POST', body: c.body, headers: c.headers });
      expectJsonError(reply, c.status, `POST /v1/users with ${c.what}`);
    }
    expectStatus(
      await api('/v1/users', { body: signUpOfSize(LIMIT, 'limit@example.test'), headers: json }),
      201,
      `POST /v1/users with a body of exactly ${LIMIT} bytes (16 KiB is allowed: "at most")`,
    );
    expectStatus(
      await api('/v1/users', {
        body: JSON.stringify({ name: 'Charset', email: 'charset@example.test' }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      }),
      201,
      'POST /v1/users with Content-Type "application/json; charset=utf-8" (that is JSON too)',
    );
  });

  it("checks a user's name (1–100 characters, not blank) and email (one @, at most 254 characters)", async () => {
    const { api } = await startPhotoService();
    const rejected: [string, unknown][] = [
      ['an empty name (a name has 1–100 characters)', { name: '', email: 'a@example.test' }],
      ['a blank name (a name must not be only spaces)', { name: '   ', email: 'a@example.test' }],
      [
        'a 101-character name (a name has 1–100 characters)',
        { name: 'x'.repeat(101), email: 'a@example.test' },
      ],
      ['an email without @ (an email has exactly one @)', { name: 'Ada', email: 'ada.example.test' }],
      ['a@@b.test (an email has exactly one @)', { name: 'Ada', email: 'a@@b.test' }],
      ['a@b@c.test (an email has exactly one @)', { name: 'Ada', email: 'a@b@c.test' }],
      [
        'an email with nothing before the @ (text on both sides of it)',
        { name: 'Ada', email: '@example.test' },
      ],
      ['an email with nothing after the @ (text on both sides of it)', { name: 'Ada', email: 'ada@' }],
      [
        'a 255-character email (an email has at most 254 characters)',
        { name: 'Ada', email: emailOfLength(255) },
      ],
    ];
    for (const [what, body] of rejected) {
      expectJsonError(await api('/v1/users', { body }), 400, `POST /v1/users with ${what}`);
    }
    const accepted: [string, { name: string; email: string }][] = [
      [
        'a 100-character name (the limit is allowed)',
        { name: 'n'.repeat(100), email: 'hundred@example.test' },
      ],
      ['a 1-character name', { name: 'Q', email: 'q@example.test' }],
      ['a 254-character email (the limit is allowed)', { name: 'Long', email: emailOfLength(254) }],
    ];
    for (const [what, body] of accepted) {
      const reply = await api('/v1/users', { body });
      expectStatus(reply, 201, `POST /v1/users with ${what}`);
    }
  });

  it('checks a photo: a title of 1–200 characters, not blank, and an http:// or https:// url', async () => {
    const { api } = await startPhotoService();
    const owner = (
      await api('/v1/users', { body: { name: 'Owner', email: 'owner@example.test' } })
    ).json<UserJson>();
    const path = `/v1/users/${owner.id}/photos`;
    const url = 'https://cdn.photos.test/p.jpg';
    const rejected: [string, unknown][] = [
      ['no url', { title: 'x' }],
      ['no title', { url }],
      ['an empty title (a title has 1–200 characters)', { title: '', url }],
      ['a blank title (a title must not be only spaces)', { title: '  \t ', url }],
      ['a 201-character title (a title has 1–200 characters)', { title: 't'.repeat(201), url }],
      ['a number as the title', { title: 7, url }],
      ['a javascript: url (a url is http:// or https:// only)', { title: 'x', url: 'javascript:alert(1)' }],
      [
        'a data: url (a url is http:// or https:// only)',
        { title: 'x', url: 'data:image/png;base64,iVBORw0KGgo=' },
      ],
      [
        'an ftp:// url (a url is http:// or https:// only)',
        { title: 'x', url: 'ftp://cdn.photos.test/p.jpg' },
      ],
      ['a file:// url (a url is http:// or https:// only)', { title: 'x', url: 'file:///etc/passwd' }],
      [
        'a url without a scheme (a url starts with http:// or https://)',
        { title: 'x', url: 'cdn.photos.test/p.jpg' },
      ],
      [
        'a url with "https://" inside, not at the start (a url starts with http:// or https://)',
        { title: 'x', url: 'ftp://x.test/?https://y' },
      ],
    ];
    for (const [what, body] of rejected) {
      expectJsonError(await api(path, { body }), 400, `POST ${path} with ${what}`);
    }
    const accepted: [string, { title: string; url: string }][] = [
      ['a 200-character title (the limit is allowed)', { title: 'T'.repeat(200), url }],
      ['a 1-character title', { title: 'x', url }],
      ['an http:// url', { title: 'Plain http', url: 'http://cdn.photos.test/p.jpg' }],
    ];
    for (const [what, body] of accepted) {
      expectStatus(await api(path, { body }), 201, `POST ${path} with ${what}`);
    }
    const album = (await api(path)).json<{ photos: PhotoJson[] }>().photos;
    expect(
      album.map((p) => p.title.length),
      'the album holds exactly the three accepted photos (a rejected photo must not be stored)',
    ).toEqual([200, 1, 10]);
  });

  it('answers 400 to an id that is not a positive 32-bit integer, before asking the database', async () => {
    const { api, db } = await startPhotoService();
    const photo = { title: 'x', url: 'https://cdn.photos.test/x.jpg' };
    const ids = ['0', '-1', 'abc', '1.5', '2147483648', '99999999999', '99999999999999999999999'];
    const rule = 'ids are integers from 1 to 2147483647 (what a serial column holds); anything else is a 400';
    for (const id of ids) {
      const before = db.statements.length;
      expectJsonError(await api(`/v1/users/${id}`), 400, `GET /v1/users/${id} (${rule})`);
      expectJsonError(await api(`/v1/users/${id}/photos`), 400, `GET /v1/users/${id}/photos (${rule})`);
      expectJsonError(
        await api(`/v1/users/${id}/photos`, { body: photo }),
        400,
        `POST /v1/users/${id}/photos (${rule})`,
      );
      expect(
        db.statements.slice(before),
        `${rule}: "${id}" is no id, so check it before any query (not a database error, a 500, or a 404 after one)`,
      ).toEqual([]);
    }
    expectJsonError(
      await api('/v1/users/2147483647'),
      404,
      'GET /v1/users/2147483647, the largest id a serial column can hold (valid, but no such user)',
    );
    expectStatus(
      await api('/v1/users', { body: { name: 'Fine', email: 'fine@example.test' } }),
      201,
      'a valid request after all the bad ones',
    );
  });

  it('answers 404 JSON for unknown routes and for hosts that are neither www nor api', async () => {
    const { api, server } = await startPhotoService();
    const user = (
      await api('/v1/users', { body: { name: 'Only via api', email: 'api@example.test' } })
    ).json<UserJson>();
    expectJsonError(await api('/v1/nothing-here'), 404, 'GET /v1/nothing-here on api.photos.test');
    expectJsonError(await api('/'), 404, 'GET / on api.photos.test (pages live at www)');
    expectNoSuchRoute(await api('/v1/users', { method: 'DELETE' }), 'DELETE /v1/users', 'POST');
    expectNoSuchRoute(
      await api(`/v1/users/${user.id}`, { method: 'PUT', body: {} }),
      'PUT /v1/users/:id',
      'GET',
    );
    for (const host of ['mail.photos.test', 'photos.test']) {
      expectJsonError(
        await step(
          `the web server answers a request for ${host}`,
          request(`${server.url}/v1/users/${user.id}`, { host }),
        ),
        404,
        `a request for host ${host}, which this server does not serve (route by the Host header)`,
      );
    }
  });
});
