import http from 'node:http';
import { expect, test } from 'vitest';
import { browser, cookiesSet } from '#kit/cookies';
import { serve } from '#kit/http';

test('a browser keeps the cookies a server sets, sends them back, and drops expired ones', async () => {
  const server = await serve(
    http.createServer((req, res) => {
      if (req.url === '/login') res.setHeader('set-cookie', 'sid=abc; Path=/; HttpOnly');
      if (req.url === '/logout') res.setHeader('set-cookie', 'sid=; Path=/; Max-Age=0');
      res.end(req.headers.cookie ?? '');
    }),
  );
  const b = browser();
  await b.request(`${server.url}/login`);
  expect((await b.request(`${server.url}/me`)).text).toBe('sid=abc');
  expect(await b.cookie(server.url, 'sid')).toBe('abc');
  await b.request(`${server.url}/logout`);
  expect((await b.request(`${server.url}/me`)).text).toBe('');
});

test('cookiesSet reads the cookies a reply sets, with their attributes and whether they are forgotten', async () => {
  const server = await serve(
    http.createServer((_req, res) => {
      res.setHeader('set-cookie', [
        'sid=abc; Path=/; HttpOnly; SameSite=Lax',
        'old=; Path=/; Max-Age=0',
        'gone=; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
        'theme=dark',
      ]);
      res.end();
    }),
  );
  const reply = await browser().request(server.url);
  expect(cookiesSet(reply)).toEqual([
    { name: 'sid', value: 'abc', httpOnly: true, sameSite: 'lax', path: '/', expired: false },
    { name: 'old', value: '', httpOnly: false, sameSite: undefined, path: '/', expired: true },
    { name: 'gone', value: '', httpOnly: false, sameSite: undefined, path: undefined, expired: true },
    { name: 'theme', value: 'dark', httpOnly: false, sameSite: undefined, path: undefined, expired: false },
  ]);
});
