/**
 * One stateless web server of the photo service. README: task 1 (the routes, sessions in Redis); the photo
 * routes call the policies of photos.ts (task 2).
 *   GET  /health                    200 { server }
 *   POST /login { user }            200 { user, server }, sets the session cookie `sid`
 *   GET  /me                        200 { user, server }, or 401
 *   POST /photos { title }          201 the photo (logged in)
 *   GET  /users/:id/photos          200 the user's photos, oldest first
 *   GET  /users/:id/album           200 { photos }: the ids the workers have processed, in order
 */
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Tiers } from './tiers.js';

export const SESSION_COOKIE = 'sid';

/**
 * Task 1: a fastify app (with @fastify/cookie) that is ready but not listening; the data center makes it
 * listen. Every error is JSON `{ error }` with a 4xx for bad input, 401 without a session, 404 for an
 * unknown route, and the status of an HttpError (errors.ts) a policy throws.
 */
export async function createWebServer(serverId: string, tiers: Tiers): Promise<FastifyInstance<Server>> {
  throw new Error(`TODO (README, task 1): web server ${serverId}`);
}
