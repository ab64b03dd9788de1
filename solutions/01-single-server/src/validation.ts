/**
 * What the API accepts, as the README's rules say it: JSON schemas for the bodies (Fastify validates them,
 * without converting types) and the check of an id in a path.
 */

/** The largest id a `serial` (32-bit integer) column holds. */
export const MAX_ID = 2_147_483_647;

/** An id written in the path: an integer from 1 to MAX_ID in plain digits, or undefined for anything else. */
export function parseId(text: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return undefined;
  const id = Number(text);
  return id <= MAX_ID ? id : undefined;
}

/** `POST /v1/users`: a name of 1–100 characters, not blank; an email with one @, at most 254 characters. */
export const userBody = {
  type: 'object',
  required: ['name', 'email'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
    email: { type: 'string', maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$', format: 'email' },
  },
} as const;

/** `POST /v1/users/:id/photos`: a title of 1–200 characters, not blank; an http(s) url. */
export const photoBody = {
  type: 'object',
  required: ['title', 'url'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    url: { type: 'string', maxLength: 2048, pattern: '^https?://\\S+$' },
  },
} as const;
