/**
 * A browser's cookie jar for `request()` (#kit/http), on tough-cookie: cookies a server sets are kept and
 * sent back on later requests, with their expiry, Max-Age and Path, as a browser would (RFC 6265: per
 * host, whatever the port — a balancer and the servers behind it share them).
 */
import { Cookie, CookieJar } from 'tough-cookie';
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

/** One cookie of a reply's `Set-Cookie` header, read as a browser reads it (RFC 6265). */
export interface CookieSet {
  name: string;
  value: string;
  /** Page scripts cannot read it. */
  httpOnly: boolean;
  /** `strict`, `lax` or `none` as the line says; undefined when it says nothing. */
  sameSite: string | undefined;
  path: string | undefined;
  /** The line tells the browser to forget the cookie: a Max-Age of 0 or less, or an Expires in the past. */
  expired: boolean;
}

/** The cookies a reply sets, one per `Set-Cookie` line (lines a browser would ignore are left out). */
export function cookiesSet(reply: Pick<Reply, 'headers'>): CookieSet[] {
  return [reply.headers['set-cookie'] ?? []].flat().flatMap((line) => {
    const cookie = Cookie.parse(line);
    if (!cookie) return [];
    return [
      {
        name: cookie.key,
        value: cookie.value,
        httpOnly: cookie.httpOnly,
        sameSite: cookie.sameSite,
        path: cookie.path ?? undefined,
        expired: cookie.TTL() <= 0,
      },
    ];
  });
}
