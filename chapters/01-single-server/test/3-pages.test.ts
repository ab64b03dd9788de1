/**
 * Task 3 — the HTML site at www.photos.test, the browser's side of the web tier.
 */

import { describe, expect, it } from 'vitest';
import { expectStatus } from '#kit/expect';
import { startPhotoService, type UserJson } from './photo-service.js';

describe('Pages: HTML for the browser at www', () => {
  it('shows the home page and each user page as HTML built from the database', async () => {
    const { api, www } = await startPhotoService();
    const user = (
      await api('/v1/users', { body: { name: 'Hedy Lamarr', email: 'hedy@example.test' } })
    ).json<UserJson>();
    await api(`/v1/users/${user.id}/photos`, {
      body: { title: 'Frequency hopping', url: 'https://cdn.photos.test/fh.jpg' },
    });

    const home = await www('/');
    expectStatus(home, 200, 'GET / on www.photos.test');
    expect(home.headers['content-type'], 'the browser gets HTML from www, not JSON').toMatch(/text\/html/);
    expect(home.text, 'the home page lists the users').toContain('Hedy Lamarr');

    const profile = await www(`/users/${user.id}`);
    expectStatus(profile, 200, `GET /users/${user.id} on www.photos.test`);
    expect(profile.headers['content-type']).toMatch(/text\/html/);
    expect(profile.text, "the user page shows the user's name").toContain('Hedy Lamarr');
    expect(profile.text, 'and their photos, by title').toContain('Frequency hopping');
    expect(profile.text, 'and the photo itself').toContain('https://cdn.photos.test/fh.jpg');

    const missing = await www('/users/999999');
    expectStatus(missing, 404, 'GET /users/999999 on www (no such user)');
    expect(missing.headers['content-type'], 'a page that does not exist is still a page').toMatch(
      /text\/html/,
    );
  });

  it('escapes what users typed, so a name cannot inject script into the page', async () => {
    const { api, www } = await startPhotoService();
    const name = '<script>alert("hi")</script>';
    const user = (await api('/v1/users', { body: { name, email: 'mallory@example.test' } })).json<UserJson>();
    await api(`/v1/users/${user.id}/photos`, {
      body: { title: '<img src=x onerror=alert(1)>', url: 'https://cdn.photos.test/"onload="alert(2).jpg' },
    });
    const profile = await www(`/users/${user.id}`);
    expectStatus(profile, 200, `GET /users/${user.id} on www.photos.test`);
    expect(
      profile.text,
      'a name is text, never markup: escape < > & " \' before putting it in HTML',
    ).not.toContain('<script>alert');
    expect(profile.text, 'the escaped name is still shown').toMatch(/&lt;script&gt;|&#0*60;script&#0*62;/);
    expect(profile.text, 'photo titles are escaped too').not.toContain('<img src=x');
    const home = await www('/');
    expect(home.text, 'the home page lists user names: escape them there too').not.toContain('<script>alert');
    expect(
      profile.text,
      'attribute values are escaped too (a " must not end the src attribute)',
    ).not.toContain('"onload="');
  });
});
