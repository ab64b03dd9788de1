/** Starts the chapter's photo service on a test database and talks to it as its two clients do. */
import { createDatabase, type DatabaseNode } from '#kit/db';
import { type Reply, type RequestOptions, request, serve } from '#kit/http';
import { step } from '#kit/wait';
import { createWebServer } from '../src/web-server.js';

export const DOMAIN = 'photos.test';

export async function startPhotoService(database?: DatabaseNode) {
  const db = database ?? (await createDatabase());
  const app = await step(
    'createWebServer({ pool }) migrates and builds the server',
    createWebServer({ pool: db.pool }),
  );
  const server = await serve(app);
  return {
    db,
    server,
    /** The mobile app: JSON at api.photos.test. */
    api: (path: string, options: RequestOptions = {}) => ask('api', server.url, path, options),
    /** The browser: HTML at www.photos.test. */
    www: (path: string, options: RequestOptions = {}) => ask('www', server.url, path, options),
  };
}

/** One request to the service, with a deadline that names it: a server that never answers fails here. */
function ask(site: 'api' | 'www', url: string, path: string, options: RequestOptions): Promise<Reply> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  return step(
    `the web server answers ${method} ${path} on ${site}.${DOMAIN}`,
    request(url + path, { host: `${site}.${DOMAIN}`, ...options }),
  );
}

export interface UserJson {
  id: number;
  name: string;
  email: string;
  createdAt: string;
}

export interface PhotoJson {
  id: number;
  userId: number;
  title: string;
  url: string;
  createdAt: string;
}
