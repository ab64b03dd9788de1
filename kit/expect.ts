/** Assertions that explain themselves: each failure says what the book's design expects. */
import { expect } from 'vitest';
import type { Reply } from './http.js';

/** Shows a reply in one line for failure messages. */
export function describeReply(reply: Reply): string {
  const type = reply.headers['content-type'] ?? 'no content-type';
  return `${reply.status} (${type}) ${JSON.stringify(reply.text.slice(0, 300))}`;
}

/** Expects the status; the message says which request it was and what came back instead. */
export function expectStatus(reply: Reply, status: number, what: string): void {
  expect(reply.status, `${what}: expected HTTP ${status}, got ${describeReply(reply)}`).toBe(status);
}

/**
 * Expects a client error answered the kata's way: the given 4xx status and a JSON body
 * `{ "error": "a message a person can act on" }`. A 500 here means a crash that bad input caused.
 */
export function expectJsonError(reply: Reply, status: number, what: string): void {
  expectStatus(reply, status, what);
  const type = String(reply.headers['content-type'] ?? '');
  expect(type, `${what}: errors are JSON, so the client can read them; got ${describeReply(reply)}`).toMatch(
    /application\/json/,
  );
  const body = reply.json<{ error?: unknown }>();
  expect(
    typeof body.error === 'string' && body.error.length > 0,
    `${what}: the body should be { "error": "<what went wrong>" }; got ${reply.text.slice(0, 300)}`,
  ).toBe(true);
}
