/**
 * Task 3 — the HTML site at www.photos.test, the browser's side of the web tier.
 * Pages are compared as a browser reads them (html.ts): any correct escaping passes, `&lt;` or `&#x3C;`.
 */

import { describe, expect, it } from 'vitest';
import { describeReply, expectStatus } from '#kit/expect';
import type { Reply } from '#kit/http';
import { decodeEntities, visibleText } from './html.js';
import { startPhotoService, type UserJson } from './photo-service.js';

/** Expects an HTML page with this status: what a browser can show. */
function expectPage(reply: Reply, status: number, what: string): void {
  expectStatus(reply, status, what);
  expect(
    String(reply.headers['content-type'] ?? ''),
    `${what}: www answers pages (Content-Type text/html), which browsers show; got ${describeReply(reply)}`,
  ).toMatch(/text\/html/);
}

describe('Pages: HTML for the browser at www', () => {
  it('shows the home page and each user page as HTML built from the database', async () => {
    const { api, www } = await startPhotoService();
    const user = (
      await api('/v1/users', { body: { name: 'Hedy Lamarr', email: 'hedy@example.test' } })
    ).json<UserJson>();
    const url = 'https://cdn.photos.test/fh.jpg?size=large&v=2';
    expectStatus(
      await api(`/v1/users/${user.id}/photos`, { body: { title: 'Frequency hopping', url } }),
      201,
      'adding a photo',
    );
    const other = (
      await api('/v1/users', { body: { name: 'Someone Else', email: 'else@example.test' } })
    ).json<UserJson>();
    await api(`/v1/users/${other.id}/photos`, {
      body: { title: 'Not Hedy’s photo', url: 'https://cdn.photos.test/else.jpg' },
    });

    const home = await www('/');
    expectPage(home, 200, 'GET / on www.photos.test');
    expect(visibleText(home.text), 'the home page lists the users').toContain('Hedy Lamarr');

    const profile = await www(`/users/${user.id}`);
    expectPage(profile, 200, `GET /users/${user.id} on www.photos.test`);
    expect(visibleText(profile.text), "the user page shows the user's name").toContain('Hedy Lamarr');
    expect(visibleText(profile.text), 'and their photos, by title').toContain('Frequency hopping');
    expect(decodeEntities(profile.text), 'and the photo itself (its url, e.g. in an <img src>)').toContain(
      url,
    );
    expect(
      visibleText(profile.text),
      "a user's page shows that user's photos only: another user's photo appeared",
    ).not.toContain('Not Hedy’s photo');
  });

  it('escapes what users typed, so a name cannot inject markup or script into the page', async () => {
    const { api, www } = await startPhotoService();
    const name = `<script>alert("hi")</script> Tom & Jerry O'Neil`;
    const created = await api('/v1/users', { body: { name, email: 'mallory@example.test' } });
    expectStatus(created, 201, `creating a user named ${JSON.stringify(name)}`);
    const user = created.json<UserJson>();
    const title = '<img src=x onerror=alert(1)>';
    expectStatus(
      await api(`/v1/users/${user.id}/photos`, { body: { title, url: 'https://cdn.photos.test/m.jpg' } }),
      201,
      `adding a photo titled ${JSON.stringify(title)}`,
    );
    const quoted = 'https://cdn.photos.test/"onload="alert(2).jpg';
    const quotedUrl = await api(`/v1/users/${user.id}/photos`, { body: { title: 'Quoted', url: quoted } });

    const profile = await www(`/users/${user.id}`);
    const home = await www('/');
    expectPage(profile, 200, `GET /users/${user.id} on www.photos.test`);
    expectPage(home, 200, 'GET / on www.photos.test');
    for (const [page, html] of [
      ['the user page', profile.text],
      ['the home page', home.text],
    ] as const) {
      expect(html, `${page}: a name is text, never markup: escape < and > (e.g. &lt; &gt;)`).not.toContain(
        '<script>alert',
      );
      expect(html, `${page}: escape " in every value (e.g. &quot;), not only in attributes`).not.toContain(
        'alert("hi")',
      );
      expect(html, `${page}: escape & in every value (e.g. &amp;)`).not.toContain('Tom & Jerry');
      expect(
        html,
        `${page}: escape ' in every value (e.g. &#39;): it ends a single-quoted attribute`,
      ).not.toContain("O'Neil");
      expect(
        visibleText(html),
        `${page}: the name is still shown, as the text the user typed (escaped once, not twice)`,
      ).toContain(name);
    }
    expect(profile.text, 'photo titles are escaped too').not.toContain('<img src=x');
    expect(visibleText(profile.text), 'and shown as text').toContain(title);
    if (quotedUrl.status === 201) {
      expect(
        profile.text,
        'attribute values are escaped too: a " in a url must not end the src attribute',
      ).not.toContain('"onload="');
    }
  });

  it('answers an HTML 404 page for anything www does not have', async () => {
    const { api, www } = await startPhotoService();
    const user = (
      await api('/v1/users', { body: { name: 'Only user', email: 'only@example.test' } })
    ).json<UserJson>();
    const missing: [string, string][] = [
      ['/users/999999', 'a user that does not exist'],
      ['/nothing-here', 'a route www does not have'],
      [`/v1/users/${user.id}`, 'an API path: the JSON API lives at api.photos.test only'],
      ['/users/abc', 'an id that is not a number'],
      ['/users/0', 'id 0 (ids start at 1)'],
      ['/users/99999999999', 'an id beyond the 32-bit ids of a serial column'],
    ];
    for (const [path, what] of missing) {
      expectPage(await www(path), 404, `GET ${path} on www (${what}) is a page that does not exist`);
    }
  });
});
