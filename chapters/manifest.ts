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
  /** A longer per-test time limit for a chapter whose tests do real work (default 10 s). */
  testTimeoutMs?: number;
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
        '  `2-database.test.ts` calls `migrate(pool)` directly, so task 2 goes green before the web server.',
        '- `createWebServer`: a Fastify app with routes constrained by host (`www.` / `api.`), JSON schemas',
        '  for bodies and ids, one error handler that answers `{ error }`, and `await app.ready()`; return',
        '  `app.server` and let the caller listen.',
        '- Let the database enforce a unique email and turn its error (code 23505) into a 409.',
      ].join('\n'),
      solution: [
        '- Fastify converts types by default (`"name": 42` becomes `"42"`); turn that off with',
        '  `Fastify({ ajv: { customOptions: { coerceTypes: false } } })`, and set `bodyLimit` for the 413.',
        "  Path parameters then stay strings: validate ids with `{ type: 'string', pattern: '^[1-9][0-9]{0,8}$' }`.",
        "- Fastify also parses `text/plain` by default; `app.removeContentTypeParser('text/plain')` makes it a 415.",
        '- The embedded pg-mem rejects `CREATE TABLE IF NOT EXISTS …` with constraints when the table exists:',
        '  look in `information_schema.tables` first (PostgreSQL accepts both).',
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
  {
    id: '02',
    slug: '02-load-balancer',
    title: 'Load balancer: scale out the web tier',
    book: 'Vertical scaling vs horizontal scaling; Load balancer',
    hints: {
      nudge: [
        'The balancer is an HTTP server whose handler is an HTTP client: for each request it picks a backend,',
        'opens a request to it with `http.request`, pipes the client body in and the backend answer out.',
        'Start with one backend and task 1; add strategies, then health, then the pool operations.',
      ].join('\n'),
      approach: [
        '- Keep one state object per backend: `{ id, url, active, healthy, draining }`. A strategy only picks',
        '  among the healthy, non-draining ones; `active` counts requests in flight (least-connections).',
        '- Forwarding: copy the request headers minus the hop-by-hop ones (Connection, Keep-Alive, TE,',
        '  Transfer-Encoding, Upgrade, Proxy-*, Trailer, and every header the Connection header names); add',
        '  X-Forwarded-For/-Host/-Proto; `res.writeHead(status, headers)` then `answer.pipe(res)`.',
        '- An error before the answer started: mark the backend down (passive check); retry once on another',
        '  backend only for GET/HEAD/OPTIONS; otherwise answer 502. No answer within `timeoutMs`: 504.',
        '- Active checks: `setInterval` over all backends, GET the health path with a timeout, count passes',
        '  and failures in a row against the thresholds, and emit a health event when the verdict changes.',
        '- `removeBackend`: mark it draining at once; resolve when its `active` count reaches zero.',
      ].join('\n'),
      solution: [
        '- A retried GET has no body left to pipe: if `req.readableEnded`, call `upstream.end()` instead.',
        '- Use a keep-alive `http.Agent` for the backends, and destroy it in `close()`.',
        '- Least-connections: find the smallest `active`, then break ties round-robin among those backends,',
        '  or an idle pool sends everything to the first backend.',
        '- Once `res.headersSent` is true you can no longer answer 502: destroy the client response instead.',
        '- Health events: an `EventEmitter`; `onHealthChange` returns `() => emitter.off(...)`.',
      ].join('\n'),
    },
  },
  {
    id: '03',
    slug: '03-db-replication',
    title: 'Database replication: primary and replicas',
    book: 'Database replication',
    hints: {
      nudge: [
        'Everything the replicas know comes from one table on the primary: a log with one row per change and',
        'a sequence number. Get that right first (task 1); routing and failover are bookkeeping on top of it.',
      ].join('\n'),
      approach: [
        '- Every node gets the same two tables: `photos` and `replication_log (seq, op, id, owner, title,',
        "  created_at)`. A node's position is `max(seq)` of its own log.",
        '- A write: one transaction on the primary that writes the row and its log entry with `seq + 1`. Make',
        '  the id and `created_at` in your code (or read them back) so that the entry carries values.',
        "- A pull: read the primary's entries after the replica's position, in seq order; apply each as an",
        '  upsert plus the same log entry, in one transaction. Run one pull per replica at a time.',
        "- Reads: round-robin over replicas whose position is at least the session's `lastWrite`; on an error,",
        '  skip that replica; with none left, read the primary.',
        '- Failover: when a write fails and the primary does not answer, ask each replica its position and',
        "  promote the highest. Remember that position: it is where the old primary's history forks.",
      ].join('\n'),
      solution: [
        '- Serialise writes (a promise chain) so that sequence numbers have no gaps and no duplicates.',
        '- Upsert: `INSERT … ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, …` works on both backends.',
        "- Semi-sync: after the commit, `Promise.any` over the replicas' pulls, each checking that it reached the",
        '  new seq; if none did, reject: the write is not acknowledged.',
        "- `recover(name)`: the old primary's entries after the promotion position are the unreplicated writes.",
        '  Report them, then empty its tables and pull everything from the new primary.',
        '- `positions()`: query each node; a node that throws is `null`.',
      ].join('\n'),
    },
  },
  {
    id: '04',
    slug: '04-cache-cdn',
    title: 'Cache tier and CDN',
    book: 'Cache; Content delivery network (CDN)',
    hints: {
      nudge: [
        'Two caches at two places. The cache tier sits between the web servers and the database (Redis,',
        'tasks 1–4, and an in-process cache with eviction, task 5); the CDN sits between users and the origin',
        'for static files (an HTTP server, tasks 6–7).',
        'For each: what is a hit, what is a miss, when does a copy stop being valid?',
      ].join('\n'),
      approach: [
        "- `getPhoto`: `redis.get(key)`; on a miss, SELECT, then `redis.set(key, json, 'EX', ttlSeconds)`.",
        '- `renamePhoto`: UPDATE … RETURNING, then `redis.del(key)`. Never the other way round.',
        '- Stampede: a `Map<id, Promise>` of loads in flight; a second miss awaits the same promise.',
        '- Redis failure: wrap every Redis call (try/catch and a timeout); a failure is a miss. A delete that',
        '  failed goes into a set of keys to delete before Redis is trusted again.',
        '- Local cache: a Map from key to a node of a doubly linked list. LRU: move the node to the back on',
        '  use, evict the front. FIFO: never move, evict the front. LFU: one list per use count, and the minimum.',
        '- Edge: a Map of path → { status, headers, body, storedAt, maxAge }; parse `max-age` (or',
        '  `s-maxage`) from Cache-Control; skip `no-store`, `no-cache` and `private`.',
        "- Origin: `createHash('sha256')` of the content names the file; the page asks the CDN's",
        '  `/_health` with a short timeout before choosing the base URL.',
      ].join('\n'),
      solution: [
        '- Keep the key scheme simple: `photo:<id>` holding the JSON of the row.',
        '- The single-flight map entry must be deleted when the load settles (`.finally`), or a later miss',
        '  would reuse an old result.',
        '- LFU in O(1): on a hit, move the node from the list of count n to the back of the list of count n+1;',
        '  if the list of the minimum count empties, the minimum becomes n+1. A new key has count 1, the new minimum.',
        '- Do not evict with `map.keys().next()`: V8 leaves deleted slots at the head of a Map until it',
        '  rehashes, so under churn that call walks over them (the O(1) test notices).',
        '- Edge: `Age` is `floor((now() - storedAt) / 1000)`; a copy is fresh while Age < max-age.',
        '- PURGE: `copies.delete(path)` says whether there was a copy (200) or not (404).',
        '- Origin: keep every version ever deployed servable with `Cache-Control: public, max-age=31536000,',
        '  immutable`, and the page itself `no-cache`.',
      ].join('\n'),
    },
  },
  {
    id: '05',
    slug: '05-stateless',
    title: 'Stateless web tier',
    book: 'Stateless web tier',
    hints: {
      nudge: [
        'Read test/stateful-app.ts: its `sessions` Map is the whole problem. Move that state to Redis (task 1)',
        'and the rest follows: any server can answer (task 2), tokens need no store at all (task 3) except to',
        'revoke them, and servers can come and go (task 4).',
      ].join('\n'),
      approach: [
        "- A session: `crypto.randomBytes(32).toString('base64url')` as the id; `SET session:<id> <json> EX ttl`;",
        '  each request `GET` then `EXPIRE` (sliding expiry); logout `DEL`.',
        "- Cookies with @fastify/cookie: `reply.setCookie('sid', id, { httpOnly: true, sameSite: 'lax', path: '/' })`.",
        "- JWT with jose: `new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(user).setIssuer(…)",
        "  .setAudience(…).setJti(randomUUID()).setExpirationTime('15m').sign(key)`; verify with `jwtVerify`.",
        '- Autoscaler: keep a list of running servers; grow = start, then `balancer.add`; shrink =',
        '  `await balancer.remove(id)` (it drains), then `await server.close()`.',
      ].join('\n'),
      solution: [
        "- `jwtVerify(token, key, { algorithms: ['HS256'], issuer, audience })` refuses `alg: none`, other",
        '  algorithms, expired tokens and the wrong iss/aud; also require `exp` and `jti` yourself.',
        '- Revocation: `SET revoked-token:<jti> 1 EX <seconds until exp>`, and check it in every verify.',
        '- The issuer is `zero-to-millions`, the audience `photos-api` (the tests craft tokens with them).',
        '- Scaling must be serial: chain each `scaleFor` on the previous one, so that two calls never race.',
      ].join('\n'),
    },
  },
  {
    id: '06',
    slug: '06-datacenter',
    title: 'Data centers: geoDNS, failover, data sync',
    book: 'Data center',
    testTimeoutMs: 20_000,
    hints: {
      nudge: [
        "Re-read the book's data-center picture: users are geoDNS-routed to the nearest data center, each data",
        'center has everything (balancer, web servers, database, cache), and when one goes down all traffic goes',
        'to the other. Build it in task order: `routing.ts` and `geo-dns.ts`, the health checks in `geo-dns.ts`,',
        'then `change-log.ts`, `web-server.ts` and `replicator.ts`, then `deploy.ts` and `probes.ts`.',
      ].join('\n'),
      approach: [
        '- `choose`: find the region whose subnets hold the client address; its `prefer` list, or a weighted',
        '  pick from the hash of the client address; skip data centers whose last health check failed.',
        '- `startGeoDns`: the DNS server of chapter 01, plus: read the EDNS Client Subnet option (code 8) of',
        "  the query's OPT record, answer with the chosen data center's address and the configured TTL, and echo",
        '  the option with a scope prefix length. A timer checks every health URL each interval, with a timeout.',
        '- Data sync: every local write also appends a row to a `changes` table; a replicator reads the',
        "  source's changes after its last position, applies them to the target (users in the database,",
        '  sessions in Redis) and stores the new position. Applying never writes a change row (no echo).',
        '- Conflicts: each user row has a version; a write raises it; a replicated change wins only with a',
        '  higher version (ties: the larger data-center id). Both sides then end with the same row.',
        '- `rollingDeploy`: for each server in turn: remember its version, `balancer.remove`, `install`, check',
        '  `/health` (200 and the new version), `balancer.add`; on a failed check reinstall the old version',
        '  everywhere you already upgraded, newest first.',
      ].join('\n'),
      solution: [
        "- ECS in dns-packet: the query's `additionals` holds `{ type: 'OPT', options: [{ code: 8, family: 1,",
        "  sourcePrefixLength: 24, ip: '203.0.113.0' }] }`; echo it with `scopePrefixLength` set to the source",
        '  prefix length (the answer is good for that whole /24). Without ECS, use the sender address.',
        "- Weighted and stable: `createHash('sha256').update(ip).digest().readUInt32BE(0) % total`, then walk",
        '  the weights. Never `Math.random()`: the same client must always get the same data center.',
        '- Health: `fetch(url, { signal: AbortSignal.timeout(ms) })`, healthy only on 200; a check that hangs',
        '  must count as a failure, or a hanging data center keeps its traffic.',
        '- Ids: `randomUUID()`, never a per-database sequence: two data centers would hand out the same id.',
        '- The replication position lives in the target database (`replication_cursor`), so a new replicator',
        "  resumes; `status()` counts the source's changes after that position.",
        '- Sessions: `SET session:<id> … PX <ms left>` on both sides; a logout is a change with no body: `DEL`.',
        '- pg-mem: check `information_schema.tables` before `CREATE TABLE`.',
        '- Apply a user change with `UPDATE users SET … WHERE id = $1 AND (version < $3 OR (version = $3 AND',
        '  origin < $4))` — the parentheses matter, or the update reaches other users — then',
        '  `INSERT … ON CONFLICT (id) DO NOTHING` for a user the target has never seen.',
      ].join('\n'),
    },
  },
  {
    id: '07',
    slug: '07-message-queue',
    title: 'Message queue and workers',
    book: 'Message queue',
    testTimeoutMs: 30_000,
    hints: {
      nudge: [
        'A reliable queue never *removes* a job when a worker takes it: it *moves* it to a place that says',
        '"leased until T". Only completion removes it; an expired lease puts it back. Get that right, and',
        'idempotent completion, and the rest of the chapter is plumbing.',
      ].join('\n'),
      approach: [
        '- Redis structures: a list of ready ids, a sorted set of leased ids scored by lease expiry, a sorted',
        '  set of delayed ids scored by retry time, a list of dead ids, and a hash per job (status, attempts).',
        '- Reserve = pop from ready + add to leased, in one Lua script (`redis.eval`) so a crash cannot lose it.',
        '- Maintain (every worker, every loop): move expired leases and due retries back to ready.',
        '- Complete: one script that does `SET applied:<id> 1 NX` and, only if that succeeded, the effects',
        '  (the album entry) and the done status. A second completion then changes nothing.',
        '- Fail: attempts ≥ maxAttempts → dead list; else delayed with `backoffMs * 2^(attempts-1)`.',
        '- Workers poll (`setTimeout` between empty polls): ioredis-mock has no blocking pops.',
      ].join('\n'),
      solution: [
        '- Store the upload before enqueueing the job, so that no worker can take a job without its image.',
        '- Keep binary data (images) out of Lua scripts: `SET result:<id>` first (harmless if repeated), then',
        '  the idempotent completion script with string arguments only.',
        "- sharp: `sharp(buf).resize(w, h, { fit: 'fill' })`, `.extract({ left, top, width, height })`,",
        '  `.blur(sigma)`, `.sharpen()`, `.png().toBuffer()`; re-open the output between steps to keep the order.',
        "- Fastify: `app.addContentTypeParser(['image/png', 'image/jpeg'], { parseAs: 'buffer' }, …)`.",
        '- Lua on ioredis-mock is Lua 5.3 and on Redis 5.1: `local unpack = table.unpack or unpack`.',
      ].join('\n'),
    },
  },
  {
    id: '08',
    slug: '08-observability',
    title: 'Logs, metrics and automation',
    book: 'Logging, metrics, automation',
    testTimeoutMs: 20_000,
    hints: {
      nudge: [
        'Observability is three questions: what happened to *this* request (logs), how is the whole tier',
        'doing (metrics), and did the last change break it (automation). Start with one request id made at',
        'the balancer and carried in the X-Request-Id header; everything else in task 1 is putting it on',
        'every log line. Tasks 3–5 are small functions over text and numbers.',
      ].join('\n'),
      approach: [
        '- Logger: `pino({ base: { service } }, destination)`; a destination is any `{ write(line) }`. Batch',
        '  lines and POST them as NDJSON to the collector; swallow errors (a dead collector loses lines only).',
        '- Balancer: take a sane X-Request-Id or `randomUUID()`; set it on the upstream request headers and on',
        '  the answer; `logger.child({ requestId })` for its lines. Web server: the same, from the header.',
        '- Worker: the job carries the request id; the worker logs with `logger.child({ requestId })`.',
        '- Metrics: one `Registry` per server, `collectDefaultMetrics({ register })`, counters and histograms',
        '  with `registers: [registry]`; `route` is the pattern (`/photos/:id`); DAU is a Redis set per day.',
        '- Aggregator: parse each page, sum samples with the same name and labels for counters and',
        '  histograms; add `instance` to gauges; percentiles from the summed buckets.',
        '- Alert: keep one (time, requests, errors) point per tick; compare now with the point at the',
        "  window's start. Pipeline: a loop with an early return and a list of what to undo.",
      ].join('\n'),
      solution: [
        '- histogram_quantile: rank = q × count(+Inf); walk the cumulative buckets to the first with',
        '  count ≥ rank; answer `lower + (le − lower) × (rank − countBelow) / (count − countBelow)`; in the',
        '  +Inf bucket answer the highest finite bound.',
        '- Fastify: `reply.elapsedTime` (ms) in an `onResponse` hook; `request.routeOptions.url` is the',
        '  route pattern; skip `/metrics` itself. Decorate the request with `requestId` and its child logger.',
        '- A gauge with a live value: `new Gauge({ …, async collect() { this.set(await redis.scard(key)) } })`.',
        '- prom-client pages name a counter family `x_total`; accept `x` too when you look one up. It writes',
        '  NaN as `Nan`: read `NaN` and `Inf` in any case, as Prometheus does.',
        '- Alert: the baseline is the last point at or before `now − windowMs`; drop older points; notify only',
        '  when the state changes.',
        '- Pipeline: read each server’s `/version` before deploying it; on a failed deploy or smoke test,',
        '  deploy the old version back to every server touched, newest first, and stop.',
      ].join('\n'),
    },
  },
  {
    id: '09',
    slug: '09-sharding',
    title: 'Database scaling: sharding',
    book: 'Database scaling (vertical scaling, horizontal scaling: sharding)',
    testTimeoutMs: 60_000,
    hints: {
      nudge: [
        'Start with one pure function: `shardFor(userId)`. Everything else in the chapter is "ask `shardFor`,',
        'then talk to that pool". Make the ring right first (task 1, no database at all); then the store',
        '(task 2) is a map from shard name to pool, and tasks 3–5 are about what happens when that map changes.',
      ].join('\n'),
      approach: [
        "- Hash: `createHash('md5').update(text).digest().readUInt32BE(0)` gives a 32-bit ring position.",
        "- Ring: for every shard and i < virtualNodes, a point at `hash(shard + '#' + i)`; sort the points;",
        '  a key belongs to the first point at or after `hash(String(userId))`, wrapping past the end.',
        '- Store: every shard gets `users` and `photos`; every write and read of a user asks the ring for the',
        "  shard and uses that shard's pool. Photo ids must be unique across shards and say whose photo it is",
        '  (the user id, a dash, a `randomUUID()`), so that `like(photoId)` knows which shard to ask.',
        '- Resharding: build the next ring; for each user whose owner changes, copy their rows to the new',
        '  shard, switch that user to the new shard, then delete the old rows. Until the switch, reads and',
        '  writes for that user go to the old shard.',
        '- Celebrity: count reads per user; `isolate` moves the user the same way, to a shard that sits',
        '  outside the ring, and a map of exceptions is consulted before the ring.',
        '- Top N: ask every shard for its own top N (`ORDER BY likes DESC LIMIT n`), merge, cut to N.',
      ].join('\n'),
      solution: [
        '- Serialise the writes of one user (a promise chain per user id) and run the move of that user in',
        '  the same chain: then no write can land on the old shard between the copy and the delete.',
        '- Writes that started before the move began must finish before you list the users to move: keep',
        '  the promises of the writes in flight and await them first.',
        '- A user created during the move whose key now belongs to the new shard can go straight there.',
        '- A read that started before a switch may come back from the old shard after the delete: note a',
        '  per-user version before reading, and read again if a move changed it meanwhile.',
        '- Upsert the copied rows (`ON CONFLICT (id) DO UPDATE`) so a copy can be repeated.',
        '- A rename runs `UPDATE users` and `UPDATE photos SET author_name = … WHERE user_id = …` on the',
        "  user's shard. Ties on a ring position: break them by shard name so list order never matters.",
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
