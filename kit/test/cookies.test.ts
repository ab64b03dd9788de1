import http from 'node:http';
import { expect, test } from 'vitest';
import { browser } from '#kit/cookies';
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
