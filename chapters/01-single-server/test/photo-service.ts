/** Starts the chapter's photo service on a test database and talks to it as its two clients do. */
import { createDatabase, type DatabaseNode } from '#kit/db';
import { type RequestOptions, request, serve } from '#kit/http';
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
    api: (path: string, options: RequestOptions = {}) =>
      request(server.url + path, { host: `api.${DOMAIN}`, ...options }),
    /** The browser: HTML at www.photos.test. */
    www: (path: string, options: RequestOptions = {}) =>
      request(server.url + path, { host: `www.${DOMAIN}`, ...options }),
  };
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
