/**
 * A browser's cookie jar for `request()` (#kit/http), on tough-cookie: cookies a server sets are kept and
 * sent back on later requests, with their expiry, Max-Age and Path, as a browser would (RFC 6265: per
 * host, whatever the port — a balancer and the servers behind it share them).
 */
import { CookieJar } from 'tough-cookie';
import { type Reply, type RequestOptions, request } from './http.js';

export interface Browser {
  /** `request()` with this browser's cookies, keeping what the reply sets. */
  request(url: string, options?: RequestOptions): Promise<Reply>;
  /** The value of a cookie the browser holds for `url`, if any. */
  cookie(url: string, name: string): Promise<string | undefined>;
  /** Sets a cookie as a line of `Set-Cookie` would (to plant an old or forged one). */
  setCookie(url: string, line: string): Promise<void>;
  /** Forgets every cookie. */
  clear(): Promise<void>;
}

export function browser(): Browser {
  let jar = new CookieJar();
  return {
    async request(url, options = {}) {
      const cookie = await jar.getCookieString(url);
      const headers = { ...options.headers, ...(cookie ? { cookie } : {}) };
      const reply = await request(url, { ...options, headers });
      for (const line of [reply.headers['set-cookie'] ?? []].flat())
        await jar.setCookie(line, url, { ignoreError: true });
      return reply;
    },
    async cookie(url, name) {
      return (await jar.getCookies(url)).find((c) => c.key === name)?.value;
    },
    async setCookie(url, line) {
      await jar.setCookie(line, url);
    },
    async clear() {
      jar = new CookieJar();
    },
  };
}
