/**
 * Task 3: data sync. Each data center has its own database and Redis; writes made in one are replicated
 * asynchronously to the other, users and sessions both, so that a failover finds the user's data and their
 * session. Replication can fall behind — its lag is visible, and so is what a failover inside it costs —
 * and conflicts resolve by the same rule everywhere.
 */
import { describe, expect, onTestFinished, test } from 'vitest';
import { browser } from '#kit/cookies';
import { expectJsonError, expectStatus } from '#kit/expect';
import { type RequestOptions, request } from '#kit/http';
import { pause, step, until } from '#kit/wait';
import { startGeoDns } from '../src/geo-dns.js';
import { startReplicator } from '../src/replicator.js';
import { type DataCenter, linkTo, startDataCenter } from './data-centers.js';
import { AMERICAS, answered, dnsClient, EU, geoConfig, NAME, US } from './world.js';

const INTERVAL = 25;

/** Two data centers, us and eu, and a replicator each way. us → eu goes over a link a test can cut. */
async function world() {
  const us = await startDataCenter(US);
  const eu = await startDataCenter(EU);
  let link = linkTo(eu);
  const replicate = () => {
    const toEu = startReplicator({ source: us.store, target: link.store, intervalMs: INTERVAL });
    const toUs = startReplicator({ source: eu.store, target: us.store, intervalMs: INTERVAL });
    onTestFinished(() => Promise.all([toEu.stop(), toUs.stop()]).then(() => undefined));
    return { toEu, toUs };
  };
  let links = replicate();
  /** Waits until both directions report nothing pending. */
  const caughtUp = async (why = '', ms = 5000) => {
    let last = '';
    await until(
      async () => {
        const [a, b] = await Promise.all([links.toEu.status(), links.toUs.status()]);
        last = `us→eu ${a.pending}, eu→us ${b.pending}`;
        return a.pending === 0 && b.pending === 0;
      },
      ms,
      () =>
        `replication never caught up: status() still reports changes pending (${last}) though nothing ` +
        `was written meanwhile${why}. Does status() count what the target has not applied, not the whole ` +
        'log? Is a change applied at the target logged there again, so that it echoes back and forth for ever?',
    );
  };
  const stop = async () => {
    await Promise.all([links.toEu.stop(), links.toUs.stop()]);
  };
  return {
    us,
    eu,
    caughtUp,
    get links() {
      return links;
    },
    /** Stops both replicators (replication falls behind); `resume()` starts new ones. */
    pause: stop,
    resume() {
      links = replicate();
    },
    /** Cuts the link us → eu: us keeps serving, its changes wait. */
    cut() {
      link.cut();
    },
    /** A new link us → eu, and new replicators on it. */
    async relink() {
      await stop();
      link = linkTo(eu);
      links = replicate();
    },
  };
}

const call = (dc: DataCenter, path: string, options: RequestOptions = {}) =>
  request(dc.url + path, { host: NAME, ...options });

async function createUser(dc: DataCenter | { url: string; id?: string }, name: string) {
  const reply = await request(`${dc.url}/v1/users`, { host: NAME, body: { name } });
  expectStatus(reply, 201, `POST /v1/users in ${dc.id ?? dc.url}`);
  return reply.json<{ id: string; name: string }>().id;
}

async function rename(dc: DataCenter, id: string, name: string) {
  expectStatus(
    await call(dc, `/v1/users/${id}`, { method: 'PUT', body: { name } }),
    200,
    `PUT /v1/users/${id} in ${dc.id}`,
  );
}

async function nameIn(dc: DataCenter, id: string) {
  const reply = await call(dc, `/v1/users/${id}`);
  return reply.status === 200 ? reply.json<{ name: string }>().name : `(${reply.status})`;
}

/** Logs in at `dc` with a browser's cookie jar; resolves with the `sid` cookie as a request header. */
async function login(dc: DataCenter, userId: string) {
  const jar = browser();
  const reply = await jar.request(`${dc.url}/v1/sessions`, { host: NAME, body: { userId } });
  expectStatus(reply, 201, `POST /v1/sessions (log in) in ${dc.id}`);
  const sid = await jar.cookie(dc.url, 'sid');
  expect(sid, 'logging in must set a `sid` cookie').toBeDefined();
  return `sid=${sid}`;
}

/** When each key of a data center's Redis expires (epoch ms), as early and as late as it can be. */
async function expiries(dc: DataCenter) {
  const out = new Map<string, { earliest: number; latest: number }>();
  for (const { key } of await dc.redis.keys()) {
    const before = Date.now();
    const left = await dc.redis.client.pttl(key);
    if (left >= 0) out.set(key, { earliest: before + left, latest: Date.now() + left });
  }
  return out;
}

describe('data sync between data centers', () => {
  test('each data center serves its own writes at once, and the other one once replication caught up', async () => {
    const { us, eu, caughtUp } = await world();
    const ana = await createUser(us, 'ana');
    const bo = await createUser(eu, 'bo');
    expect(await nameIn(us, ana), 'a user is readable in the data center that created it, right away').toBe(
      'ana',
    );
    await caughtUp();
    expect(await nameIn(eu, ana), 'a user created in us must reach eu by replication').toBe('ana');
    expect(
      await nameIn(us, bo),
      'a user created in eu must reach us by replication (it runs both ways)',
    ).toBe('bo');
  });

  test('two data centers never hand out the same id', async () => {
    const w = await world();
    const { us, eu, caughtUp } = w;
    // Each data center on its own (replication stopped), as when the link between them is down.
    await w.pause();
    const made: { id: string; name: string }[] = [];
    for (let i = 0; i < 5; i += 1) {
      made.push({ id: await createUser(us, `us-${i}`), name: `us-${i}` });
      made.push({ id: await createUser(eu, `eu-${i}`), name: `eu-${i}` });
    }
    expect(
      new Set(made.map((u) => u.id)).size,
      'ids made in us and in eu collide: a per-database sequence counts 1, 2, 3 in both; use ids that are unique everywhere (UUIDs)',
    ).toBe(made.length);
    w.resume();
    await caughtUp();
    for (const user of made) {
      expect(await nameIn(us, user.id), `user ${user.name} in us`).toBe(user.name);
      expect(await nameIn(eu, user.id), `user ${user.name} in eu`).toBe(user.name);
    }
  });

  test('a session made in one data center is valid in the other, expires there when it does here, and so does its logout', async () => {
    const w = await world();
    const { us, eu, caughtUp } = w;
    const ana = await createUser(us, 'ana');
    await caughtUp();
    await w.pause();
    const cookie = await login(us, ana);
    // Time that must pass on purpose: the session is replicated 300 ms after it was made.
    await pause(300);
    w.resume();
    await caughtUp();
    const me = await call(eu, '/v1/me', { headers: { cookie } });
    expectStatus(
      me,
      200,
      'GET /v1/me in eu with the session cookie from us: replicate sessions too (they live in Redis)',
    );
    expect(me.json<{ id: string }>().id).toBe(ana);
    const [here, there] = [await expiries(us), await expiries(eu)];
    for (const { key, ttl } of await eu.redis.keys())
      expect(
        ttl,
        `key ${key} in eu's Redis never expires: a replicated session keeps the time it has left (SET … PX)`,
      ).toBeGreaterThan(0);
    const shared = [...there.keys()].filter((key) => here.has(key));
    expect(shared.length, 'the session is kept in both Redis stores').toBeGreaterThan(0);
    for (const key of shared) {
      const late = Math.round((there.get(key)?.earliest ?? 0) - (here.get(key)?.latest ?? 0));
      expect(
        late,
        `key ${key} expires ${late} ms later in eu than in us: it was replicated 300 ms after the login and got a fresh time to live. A replicated session keeps the time it has left (carry its expiry, then SET … PX expiresAt - now)`,
      ).toBeLessThan(150);
    }
    expectStatus(
      await call(us, '/v1/sessions', { method: 'DELETE', headers: { cookie } }),
      204,
      'log out in us',
    );
    await caughtUp();
    expectStatus(
      await call(eu, '/v1/me', { headers: { cookie } }),
      401,
      'the user logged out in us, but eu still accepts the session: replicate the logout as well',
    );
  });

  test('replication lag is visible (the age of the oldest pending change), and nothing is lost while the other side is down', async () => {
    const { us, eu, caughtUp, links } = await world();
    await eu.db.stop();
    const sent = Date.now();
    const ids = [await createUser(us, 'user-0')];
    const firstAcknowledged = Date.now();
    // Time that must pass on purpose: the first change ages while nine more are written.
    await pause(100);
    for (let i = 1; i < 10; i += 1) ids.push(await createUser(us, `user-${i}`));
    const asked = Date.now();
    const behind = await links.toEu.status().catch((error: Error) => {
      throw new Error(
        `status() failed while eu's database is down (${error.message}): it must keep answering, from the source's log and what the replicator knows, when the target is unreachable`,
      );
    });
    const answered = Date.now();
    expect(
      behind.pending,
      "eu's database is down, so none of the 10 users made in us can have reached it: status().pending must count every one of them",
    ).toBe(10);
    expect(
      behind.lagMs,
      `lagMs is the age of the OLDEST pending change: the first user was acknowledged ${asked - firstAcknowledged} ms before status() was asked, so the lag is at least that; ${behind.lagMs} ms looks like the age of the newest one`,
    ).toBeGreaterThanOrEqual(asked - firstAcknowledged - 2);
    expect(
      behind.lagMs,
      `lagMs (${behind.lagMs}) is older than the first write itself (${answered - sent} ms ago): measure it in milliseconds, from when the oldest pending change was written`,
    ).toBeLessThanOrEqual(answered - sent + 2);
    await eu.db.start();
    const started = performance.now();
    await caughtUp(
      " since eu's database came back (a replicator that failed while the target was down must retry on its next tick, not stop)",
    );
    const took = performance.now() - started;
    const missing = [];
    for (const id of ids) if ((await nameIn(eu, id)).startsWith('(')) missing.push(id);
    expect(
      missing,
      'status() reported no pending changes, yet these users never reached eu: report pending until the change is applied',
    ).toEqual([]);
    expect((await links.toEu.status()).lagMs, 'caught up: no lag left').toBe(0);
    console.log(`data sync: eu caught up on 10 changes ${Math.round(took)} ms after its database came back`);
  });

  test('conflicts: a later write wins, a higher version wins over a later clock, equal versions go to the data center whose id sorts last', async () => {
    const w = await world();
    const { us, eu, caughtUp } = w;
    const ana = await createUser(us, 'ana');
    await caughtUp();
    await rename(us, ana, 'ana (us)');
    await caughtUp();
    await rename(eu, ana, 'ana (eu)');
    await caughtUp();
    expect(
      [await nameIn(us, ana), await nameIn(eu, ana)],
      'the eu rename came after the us rename had replicated: it is newer and must win in both data centers',
    ).toEqual(['ana (eu)', 'ana (eu)']);

    // Version beats the clock: eu renames twice (two versions up), then us once (one up), later by the clock.
    await w.pause();
    await rename(eu, ana, 'ana eu-1');
    await rename(eu, ana, 'ana eu-2');
    await rename(us, ana, 'ana us, last by the clock');
    w.resume();
    await caughtUp();
    const versions = [await nameIn(us, ana), await nameIn(eu, ana)];
    expect(
      versions,
      versions[0] === 'ana us, last by the clock' && versions[1] === 'ana eu-2'
        ? 'the renames made while replication was stopped never reached the other data center: a new replicator must resume where the last one stopped, not from the end of the log'
        : versions[0] === 'ana eu-2' && versions[1] === 'ana us, last by the clock'
          ? 'each data center took the other one’s rename as it arrived, and they swapped: apply a replicated change only when the conflict rule says it wins'
          : 'eu wrote the row twice while us wrote it once: eu’s change has the higher version and wins in both data centers, though us wrote last by the clock. Last writer wins by VERSION (clocks of two data centers disagree; a version does not)',
    ).toEqual(['ana eu-2', 'ana eu-2']);

    // Equal versions: us renames first, eu later by the clock; "us" sorts after "eu", so us wins.
    await w.pause();
    await rename(us, ana, 'ana tie us');
    await rename(eu, ana, 'ana tie eu');
    w.resume();
    await caughtUp();
    const names = [await nameIn(us, ana), await nameIn(eu, ana)];
    expect(
      names,
      names[0] === names[1]
        ? 'one rename in each data center, so both changes have the same version: the tie goes to the data center whose id sorts last ("us" > "eu"), not to the later clock'
        : 'two renames at once, one per data center: after replication both must hold the same name (the conflict rule must give the same result in both data centers)',
    ).toEqual(['ana tie us', 'ana tie us']);
  });

  test('a change that commits after a later one is still replicated (two writers, out of order)', async () => {
    const { us, eu, caughtUp } = await world();
    const ana = await createUser(us, 'ana');
    await caughtUp();
    const [first, second] = us.servers();
    if (!first || !second) throw new Error('the US data center runs two web servers');
    // A: a rename on the first server, whose commit is held (if it writes in a transaction).
    const hold = us.holdCommits();
    const renamed = request(`${first.url}/v1/users/${ana}`, {
      host: NAME,
      method: 'PUT',
      body: { name: 'ana, committed late' },
    });
    const a = await step(
      'the rename on the first web server neither answered nor reached its COMMIT',
      Promise.race([hold.held.then(() => 'held' as const), renamed.then(() => 'answered' as const)]),
    );
    // B: a sign-up on the second server, after A's write began and (if A is held) before A commits.
    const signup = request(`${second.url}/v1/users`, { host: NAME, body: { name: 'bo' } });
    const b = await Promise.race([
      signup.then(() => 'answered' as const),
      pause(1000).then(() => 'waits' as const),
    ]);
    if (b === 'answered') {
      const bo = (await signup).json<{ id: string }>().id;
      await until(
        async () => (await nameIn(eu, bo)) === 'bo',
        5000,
        'the sign-up on the second server never reached eu',
      );
    }
    // (b === 'waits': the second writer waits for the first one, so writers commit in order.)
    hold.release();
    expectStatus(await step('the held rename finishes', renamed), 200, `PUT /v1/users/${ana}`);
    expectStatus(await step('the sign-up finishes', signup), 201, 'POST /v1/users');
    await caughtUp();
    expect(
      await nameIn(eu, ana),
      a === 'held'
        ? 'the rename committed after a later sign-up had been replicated, and never reached eu, though status() reports nothing pending: a change is numbered when it is written but visible when it commits, so a replicator that only remembers "everything up to number N is shipped" skips a change that commits late, for good. Remember which changes were applied (or make numbers follow commit order)'
        : 'the rename never reached eu',
    ).toBe('ana, committed late');
  });

  test('a failover keeps the user logged in; writes inside the replication lag are missing until the US comes back (the cost of asynchronous replication)', async () => {
    const w = await world();
    const { us, eu, caughtUp } = w;
    const dns = await startGeoDns({ ...geoConfig([us, eu]), checkIntervalMs: 100, checkTimeoutMs: 1000 });
    onTestFinished(() => dns.close());
    const client = dnsClient(dns.port, AMERICAS);
    const signup = await client.send('/v1/users', { body: { name: 'ana' } });
    expectStatus(signup, 201, 'sign up through the geoDNS');
    const ana = signup.json<{ id: string }>().id;
    expectStatus(await client.send('/v1/sessions', { body: { userId: ana } }), 201, 'log in');
    expect(
      client.log.map((l) => l.address),
      'an Americas client is served by the US data center',
    ).toEqual([US.address, US.address]);
    await caughtUp();

    // The link to eu fails; us keeps acknowledging writes, which wait to be replicated.
    w.cut();
    const late: string[] = [];
    for (const name of ['bo', 'cy', 'di']) {
      const reply = await client.send('/v1/users', { body: { name } });
      expectStatus(reply, 201, `sign up ${name} while the link to eu is cut`);
      late.push(reply.json<{ id: string }>().id);
    }
    const behind = await w.links.toEu.status();
    expect(
      behind.pending,
      'three sign-ups were acknowledged by us while the link to eu was cut: status() must count them as pending',
    ).toBe(3);

    // Then the US data center goes down: its servers and its database.
    await us.down();
    await us.db.stop();
    await until(
      answered(dns.port, AMERICAS, EU.address),
      2000,
      'the US data center is down: the geoDNS must send the Americas to the EU',
    );
    client.expire();
    const me = await client.send('/v1/me');
    expectStatus(
      me,
      200,
      'after the failover to eu the user must still be logged in (the session was replicated before the link failed)',
    );
    expect(me.json<{ id: string; name: string }>()).toMatchObject({ id: ana, name: 'ana' });
    expect(client.log.at(-1)?.address).toBe(EU.address);
    const missing = [];
    for (const id of late) if ((await client.send(`/v1/users/${id}`)).status === 404) missing.push(id);
    console.log(
      `data sync: after the failover ${missing.length} of ${late.length} acknowledged sign-ups are missing in eu ` +
        `(status() reported ${behind.pending} pending, the oldest ${behind.lagMs} ms old)`,
    );
    expect(
      missing.length,
      'the cost of asynchronous replication: writes acknowledged by us but not yet replicated are missing in eu after the failover. status().pending said how many: it must match',
    ).toBe(behind.pending);

    // The US data center comes back, and a new link with it: nothing was lost for good.
    await us.db.start();
    await w.relink();
    await caughtUp(' after the US data center and the link came back');
    const lost = [];
    for (const id of late) if ((await nameIn(eu, id)).startsWith('(')) lost.push(id);
    expect(
      lost,
      'once us is back, the changes it acknowledged during the outage must reach eu: these never did',
    ).toEqual([]);
  });

  test('bad input gets a 4xx JSON error; unknown users and sessions are refused', async () => {
    const w = await world();
    const { us, eu } = w;
    await expectJsonError(
      await call(us, '/v1/users', { body: { name: '' } }),
      400,
      'POST /v1/users with an empty name',
    );
    await expectJsonError(await call(us, '/v1/users', { body: {} }), 400, 'POST /v1/users without a name');
    const ana = await createUser(us, 'ana');
    await expectJsonError(
      await call(us, `/v1/users/${ana}`, { method: 'PUT', body: { name: '' } }),
      400,
      'PUT /v1/users/:id with an empty name',
    );
    expect(await nameIn(us, ana), 'a refused rename changes nothing').toBe('ana');
    const health = await call(us, '/health');
    expectStatus(health, 200, 'GET /health');
    expect(health.json(), 'GET /health answers the data center and the version it runs').toMatchObject({
      dc: 'us',
      version: '1.0.0',
    });
    // A well-formed id that us does not know: a user made in eu while replication is stopped.
    await w.pause();
    const stranger = await createUser(eu, 'stranger');
    await expectJsonError(
      await call(us, `/v1/users/${stranger}`),
      404,
      'GET /v1/users/:id of an unknown user',
    );
    await expectJsonError(
      await call(us, `/v1/users/${stranger}`, { method: 'PUT', body: { name: 'x' } }),
      404,
      'PUT /v1/users/:id of an unknown user',
    );
    await expectJsonError(
      await call(us, '/v1/sessions', { body: { userId: stranger } }),
      404,
      'log in as a user that does not exist',
    );
    expectStatus(await call(us, '/v1/me'), 401, 'GET /v1/me without a session');
    expectStatus(
      await call(us, '/v1/me', { headers: { cookie: 'sid=forged' } }),
      401,
      'GET /v1/me with a session id that was never issued',
    );
  });
});
