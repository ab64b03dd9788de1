/**
 * Task 2 — policies that exist only across tiers: where an upload goes and when it counts as done, where
 * each read comes from, what a request does when the cache fails, and when a job counts as processed.
 */
import { describe, expect, it } from 'vitest';
import { pause, step, until } from '#kit/wait';
import { bodyOf, type Client, describeSeen, type Lab, LIMITS, startLab } from './lab.js';

interface PhotoView {
  id: string;
  owner: number;
  title: string;
}

/** Logs the client in as `user`. */
async function login(client: Client, user: number): Promise<void> {
  const seen = await step(`user ${user} logs in`, client.call('POST', '/login', { user }));
  expect(seen.reply?.status, `POST /login { user: ${user} }: ${describeSeen(seen)}`).toBe(200);
}

/** Uploads a photo; a 503 (a shard failing over) is retried, as the README lets clients do. */
async function upload(client: Client, title: string): Promise<PhotoView> {
  const seen = await step(`upload "${title}"`, client.call('POST', '/photos', { title }));
  expect(seen.reply?.status, `POST /photos { title: "${title}" }: ${describeSeen(seen)}`).toBe(201);
  const photo = seen.reply?.json() as PhotoView;
  expect(photo, 'POST /photos answers 201 with the photo: { id, owner, title }').toMatchObject({ title });
  expect(typeof photo.id, 'a photo id is a string').toBe('string');
  return photo;
}

async function photosOf(client: Client, user: number, why: string): Promise<PhotoView[]> {
  const seen = await step(why, client.call('GET', `/users/${user}/photos`));
  expect(seen.reply?.status, `GET /users/${user}/photos (${why}): ${describeSeen(seen)}`).toBe(200);
  return seen.reply?.json() as PhotoView[];
}

async function albumOf(client: Client, user: number): Promise<string[]> {
  const seen = await client.call('GET', `/users/${user}/album`);
  expect(seen.reply?.status, `GET /users/${user}/album: ${describeSeen(seen)}`).toBe(200);
  return bodyOf<{ photos: string[] }>(seen).photos;
}

/** The node that is primary of the user's shard now. */
function primaryOf(lab: Lab, user: number) {
  const shard = lab.system.shardOf(user);
  const primary = lab.system.describe().shards.find((s) => s.name === shard)?.primary ?? '';
  const node = lab.nodes[primary];
  if (!node)
    throw new Error(`describe() names ${primary || 'no node'} as primary of ${shard}: not a node of the lab`);
  return { shard, primary, node };
}

describe('Policies across tiers', () => {
  it('lets an owner read their own upload at once, from any web server and any data center, while a replica lags (read-your-writes)', async () => {
    const lab = await startLab();
    const dana = lab.client('us-east');
    await login(dana, 11);
    const { shard, primary } = primaryOf(lab, 11);
    const slow =
      lab.system
        .describe()
        .shards.find((s) => s.name === shard)
        ?.nodes.filter((n) => n !== primary)
        .at(-1) ?? '';
    // A replica whose disk is slow: its writes wait. The other replica keeps up.
    const stalled = lab.nodes[slow]?.hold(/^\s*(insert|update|delete)/i);
    try {
      for (let n = 1; n <= 3; n++) {
        const photo = await upload(dana, `beach ${n}`);
        expect(photo.owner, 'the photo belongs to the logged-in user').toBe(11);
        for (let i = 0; i < 4; i++) {
          const mine = await photosOf(dana, 11, `user 11 reads their own photos right after upload ${n}`);
          expect(
            mine.map((p) => p.id),
            `user 11's own list, read ${i + 1} of 4 right after "beach ${n}" was acknowledged, while replica ${slow} of ${shard} lags: an owner must see their acknowledged write at once, whichever web server and replica answer — read at their own position (chapter 03's session, kept beside the session in Redis), never from the cache`,
          ).toContain(photo.id);
        }
      }
    } finally {
      stalled?.release();
    }
  });

  it('loses no acknowledged upload when the primary of its shard stops right after the acknowledgement', async () => {
    const lab = await startLab();
    const eve = lab.client('eu-west');
    await login(eve, 23);
    const photo = await upload(eve, 'sunset');
    const { shard, primary, node } = primaryOf(lab, 23);
    await node.stop();
    const stoppedAt = Date.now();
    let next: PhotoView | undefined;
    await until(
      async () => {
        const seen = await eve.call('POST', '/photos', { title: 'after failover' });
        if (seen.reply?.status === 201) next = bodyOf<PhotoView>(seen);
        else
          expect(
            seen.reply?.status,
            `an upload while ${shard} fails over may be refused with 503 (not acknowledged), nothing else: ${describeSeen(seen)}`,
          ).toBe(503);
        return next !== undefined;
      },
      5000,
      `an upload to shard ${shard} to be acknowledged again once a replica took over from ${primary}`,
      100,
    );
    const mine = await photosOf(eve, 23, `user 23 reads their photos after the primary of ${shard} stopped`);
    expect(
      mine.map((p) => `${p.id} "${p.title}"`),
      `user 23's photo ${photo.id} was acknowledged, then the primary of shard ${shard} (${primary}) stopped, and a replica took over: the photo must still be there ${Date.now() - stoppedAt} ms later — acknowledge a write only once a replica has it (semi-synchronous, chapter 03)`,
    ).toContain(`${photo.id} "sunset"`);
    expect(
      mine.map((p) => `${p.id} "${p.title}"`),
      'and the upload acknowledged after the failover, under an id of its own',
    ).toContain(`${next?.id} "after failover"`);
    // Now cut off every replica the shard has left: no upload may be acknowledged until one is back.
    const now = lab.system.describe().shards.find((s) => s.name === shard);
    const cutOff = (now?.nodes ?? []).filter((n) => n !== now?.primary && n !== primary);
    await Promise.all(cutOff.map((n) => lab.nodes[n]?.stop()));
    const alone = await step(
      'an upload while every replica is cut off',
      eve.call('POST', '/photos', { title: 'alone' }),
    );
    await Promise.all(cutOff.map((n) => lab.nodes[n]?.start()));
    expect(
      alone.reply?.status,
      `POST /photos while the replicas of ${shard} (${cutOff.join(', ')}) are cut off: ${describeSeen(alone)} — acknowledge a write only once a replica has it: with none reachable, refuse it (503)`,
    ).toBe(503);
  });

  it('serves other users from the cache, shows them a new photo within the README’s bound, and answers when the cache is lost', async () => {
    const lab = await startLab();
    const owner = lab.client('us-east');
    const viewer = lab.client('eu-west');
    await login(owner, 31);
    await login(viewer, 32);
    const first = await upload(owner, 'mountain');
    await photosOf(viewer, 31, 'user 32 browses user 31');
    const before = (await lab.system.status()).cache;
    for (let i = 0; i < 3; i++) await photosOf(viewer, 31, 'user 32 browses user 31 again');
    const after = (await lab.system.status()).cache;
    expect(
      after.hits - before.hits,
      `status().cache before ${JSON.stringify(before)}, after ${JSON.stringify(after)}: three more reads of another user's list within the cache TTL are cache hits (cache-aside, chapter 04)`,
    ).toBeGreaterThanOrEqual(2);
    const cached = await lab.stores.cache.keys();
    expect(cached.length, 'the cache server holds the copies of the lists it served').toBeGreaterThan(0);
    expect(
      // -1: no expiry. (0: under a second left; -2: expired since it was listed.)
      cached.filter((k) => k.ttl === -1 || k.ttl > LIMITS.cacheTtlSeconds),
      `every copy in the cache expires within cacheTtlSeconds (${LIMITS.cacheTtlSeconds} s): a copy without a TTL stays stale forever once a racing read has put an old list back`,
    ).toEqual([]);
    const second = await upload(owner, 'river');
    const acknowledged = Date.now();
    const bound = LIMITS.cacheTtlSeconds * 1000 + LIMITS.pullIntervalMs + 1000;
    await pause(bound);
    const seen = await photosOf(viewer, 31, `user 32 browses user 31 ${bound} ms after an upload`);
    expect(
      seen.map((p) => p.id),
      `user 32 read user 31's list ${Date.now() - acknowledged} ms after "river" was acknowledged: other users may see a list at most cacheTtlSeconds + pullIntervalMs + 1 s old (${bound} ms) — give every cached copy a TTL (and drop it on a write)`,
    ).toEqual(expect.arrayContaining([first.id, second.id]));
    for (const [fault, how, advice] of [
      ['stop', 'is down', 'a cache that fails is a miss: read the database'],
      ['hang', 'hangs', "give up on the cache after a short wait (the README's limit) and read the database"],
    ] as const) {
      lab.stores.cache[fault]();
      const seen = await step(
        `user 32 browses user 31 while the cache ${how}`,
        viewer.call('GET', '/users/31/photos'),
        3000,
      );
      expect(
        seen.reply?.status,
        `GET /users/31/photos while the cache server ${how}: ${describeSeen(seen)} — ${advice}`,
      ).toBe(200);
    }
    const upload3 = await step(
      'an upload while the cache hangs',
      owner.call('POST', '/photos', { title: 'fog' }),
    );
    expect(upload3.reply?.status, `POST /photos while the cache hangs: ${describeSeen(upload3)}`).toBe(201);
    lab.stores.cache.start();
  });

  it('processes every acknowledged upload exactly once, even when its worker dies mid-job', async () => {
    const lab = await startLab({ workers: 2 });
    const fay = lab.client('us-east');
    await login(fay, 41);
    lab.work.hold();
    const photo = await upload(fay, 'harbour');
    await until(
      () => lab.work.inHand.some((j) => j.photo === photo.id),
      5000,
      `a worker to start processing ${photo.id}`,
    );
    const victim = lab.work.inHand.find((j) => j.photo === photo.id)?.worker ?? '';
    expect(
      await albumOf(fay, 41),
      `user 41's album while ${photo.id}'s work is still in hand (held mid-job): a photo is in the album only once its work is done — complete a job after the work, never before`,
    ).not.toContain(photo.id);
    await step(`system.kill("${victim}")`, lab.system.kill(victim));
    const killedAt = Date.now();
    lab.work.release();
    await until(
      async () => (await albumOf(fay, 41)).includes(photo.id),
      LIMITS.visibilityTimeoutMs + 5000,
      () =>
        `user 41's photo ${photo.id} was acknowledged and ${victim} was killed mid-job at ${killedAt}: another worker must process it once the lease runs out — complete a job only after its work is done (chapter 07); jobs started: ${JSON.stringify(lab.work.started.map((j) => `${j.photo}@${j.worker}`))}`,
      50,
    );
    await pause(LIMITS.visibilityTimeoutMs);
    const album = await albumOf(fay, 41);
    expect(
      lab.work.finished.some((j) => j.photo === photo.id),
      `${photo.id} is in user 41's album: some worker must have finished its work first`,
    ).toBe(true);
    expect(
      album.filter((id) => id === photo.id),
      `user 41's album ${JSON.stringify(album)}: each upload's effect takes place once, whoever finished it`,
    ).toHaveLength(1);
  });

  it('refuses bad uploads and reads with a clear 4xx JSON error', async () => {
    const lab = await startLab({ webServers: 1, workers: 1 });
    const gus = lab.client('eu-west');
    const anonymous = await step('upload without a session', gus.call('POST', '/photos', { title: 'x' }));
    expect(anonymous.reply?.status, `POST /photos with no session: ${describeSeen(anonymous)}`).toBe(401);
    await login(gus, 51);
    for (const [body, why] of [
      [{}, 'no title'],
      [{ title: '' }, 'an empty title'],
      [{ title: 'x'.repeat(201) }, 'a title of 201 characters'],
      [{ title: 5 }, 'a title that is not a string'],
    ] as const) {
      const seen = await step('POST /photos', gus.call('POST', '/photos', body));
      expect(seen.reply?.status, `POST /photos with ${why}: ${describeSeen(seen)}`).toBe(400);
      expect(seen.reply?.json(), `POST /photos with ${why} answers JSON { error }`).toHaveProperty('error');
    }
    for (const path of ['/users/abc/photos', '/users/0/photos', '/users/99999999999/album']) {
      const seen = await step(`GET ${path}`, gus.call('GET', path));
      expect(
        seen.reply?.status,
        `GET ${path}: ${describeSeen(seen)} — a user id is an integer from 1 to 2147483647`,
      ).toBe(400);
      expect(seen.reply?.json(), `GET ${path} answers JSON { error }`).toHaveProperty('error');
    }
    const none = await photosOf(gus, 52, 'a user with no photos');
    expect(none, 'a user with no photos has an empty list').toEqual([]);
  });
});
