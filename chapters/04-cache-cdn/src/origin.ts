/**
 * The origin web server of the static files. README: task 7.
 *   GET /                      the page, with asset URLs on the CDN (or on the origin when the CDN is down)
 *   GET /assets/<versioned>    an asset of this or an earlier deploy, cacheable for a year
 */
import type http from 'node:http';

export interface OriginOptions {
  /** The files of the first deploy: name → content, e.g. `{ 'app.js': '…', 'style.css': '…' }`. */
  assets: Record<string, string>;
}

export interface Origin {
  /** A `node:http` server, not listening yet. */
  server: http.Server;
  /** Puts a new version of the files live. */
  deploy(assets: Record<string, string>): void;
  /** Which CDN the pages point at, e.g. `http://127.0.0.1:41235`; undefined: the origin's own URLs. */
  useCdn(url: string | undefined): void;
}

export function createOrigin(options: OriginOptions): Origin {
  throw new Error(`TODO (README, task 7): an origin for ${Object.keys(options.assets).join(', ')}`);
}
