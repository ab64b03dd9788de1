/**
 * The chapter manifest: the one place that knows the chapters, their order and their hints.
 * The test runner, `npm start`, `npm run verify` and the chapter READMEs' hint sections all read it.
 */

export interface Hints {
  /** Tier 1: a nudge, which part of the book to re-read or where to look. */
  nudge: string;
  /** Tier 2: the approach, in a few steps. */
  approach: string;
  /** Tier 3: close to the solution: the shape of the code, the traps. */
  solution: string;
}

export interface Chapter {
  /** Two digits: what `npm test -- 01` takes. */
  id: string;
  /** Folder name under chapters/ and solutions/. */
  slug: string;
  title: string;
  /** The section of "System Design Interview", chapter 1 ("Scale from zero to millions of users"). */
  book: string;
  hints: Hints;
}

export const chapters: Chapter[] = [
  {
    id: '01',
    slug: '01-single-server',
    title: 'Single server: DNS, web tier, database',
    book: 'Single server setup; Database; Which databases to use?',
    hints: {
      nudge: [
        "Follow one request through the book's first picture: the user asks DNS for `api.photos.test`, gets an",
        'IP address back, sends HTTP to that address, and the web server reads and writes the database.',
        'Build it in that order: `zone.ts`, `dns-server.ts`, `migrations.ts`, `web-server.ts`, then',
        '`which-database.ts`. Run `npm test -- 01` after each file; the failures name the next step.',
      ].join('\n'),
      approach: [
        '- `lookup`: lower-case the name and drop a trailing dot; refuse names outside the origin; strip the',
        '  origin to get `www`/`api`/`@`; no record of that name is NXDOMAIN; a name with records but not of',
        '  the type asked is NOERROR with no answers.',
        '- `startDnsServer`: a `dgram` udp4 socket bound to 127.0.0.1; on each message `dnsPacket.decode`,',
        '  call `lookup`, `dnsPacket.encode` a response with the same id and question, and send it back to',
        "  the sender's port. Wrap decoding in try/catch: a broken datagram must not stop the server.",
        '- `migrate`: a `schema_migrations` table and a list of numbered migrations; apply the missing ones.',
        '- `createWebServer`: a Fastify app with routes constrained by host (`www.` / `api.`), JSON schemas',
        '  for bodies and ids, one error handler that answers `{ error }`, and `await app.ready()`; return',
        '  `app.server` and let the caller listen.',
        '- Let the database enforce a unique email and turn its error (code 23505) into a 409.',
      ].join('\n'),
      solution: [
        '- Fastify converts types by default (`"name": 42` becomes `"42"`); turn that off with',
        '  `Fastify({ ajv: { customOptions: { coerceTypes: false } } })`, and set `bodyLimit` for the 413.',
        "- Routes: `app.post('/v1/users', { constraints: { host: /^api\\./i }, schema: { body } }, handler)`.",
        "- Queries take values as parameters: `pool.query('INSERT INTO users (name, email) VALUES ($1, $2)",
        "  RETURNING id, name, email, created_at', [name, email])`; never build SQL by pasting strings together.",
        '- HTML: escape `& < > " \'` in every value you put into a page.',
        "- The DNS response: `dnsPacket.encode({ type: 'response', id, questions, answers, flags:",
        '  dnsPacket.AUTHORITATIVE_ANSWER | rcode })` with rcode 0 NOERROR, 3 NXDOMAIN, 5 REFUSED; each',
        "  answer `{ type: 'A', class: 'IN', name, ttl, data: address }`.",
        '- `chooseDatabase`: joins needed → relational; else any of the four reasons → NoSQL; else relational.',
      ].join('\n'),
    },
  },
];

/** Finds a chapter by id (`01`), number (`1`) or slug (`01-single-server`). */
export function findChapter(key: string): Chapter | undefined {
  const wanted = key.trim().toLowerCase();
  return chapters.find(
    (chapter) =>
      chapter.id === wanted.padStart(2, '0') ||
      chapter.slug === wanted ||
      chapter.slug.endsWith(`-${wanted}`),
  );
}
