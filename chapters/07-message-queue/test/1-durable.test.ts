/**
 * Task 1 — a durable queue. The web tier answers at once and hands the work to the queue; workers take it
 * whenever they run. Nothing acknowledged is lost: not when no worker runs, not when a worker dies, and a
 * job done twice by accident still counts once.
 */

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { expectJsonError, expectStatus } from '#kit/expect';
import { seededRandom } from '#kit/random';
import { pause, step, until } from '#kit/wait';
import { clockTraps, noise, SLOW_JOB, startSystem } from './system.js';

describe('Durable queue and workers', () => {
  it('accepts photos with 202 while no worker runs, and a worker started later processes them all', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 300 });
    const image = await noise(32, 32);
    const first = await system.call('/photos?ops=resize:16x16&owner=ana', {
      method: 'POST',
      body: image,
      headers: { 'content-type': 'image/png' },
    });
    expectStatus(first, 202, 'POST /photos answers at once: the work is queued for later');
    const { jobId, status } = first.json<{ jobId: string; status: string }>();
    expect(status, 'the answer says the job is queued').toBe('queued');
    expect(first.headers.location, 'and where to follow it: Location: /jobs/<id>').toBe(`/jobs/${jobId}`);
    const ids: Record<string, string[]> = { ana: [jobId], ben: [] };
    for (let i = 1; i < 20; i++) {
      const owner = i % 2 ? 'ben' : 'ana';
      ids[owner]?.push(await system.upload(image, 'resize:16x16', owner));
    }
    const all = [...(ids.ana ?? []), ...(ids.ben ?? [])];
    expect(
      await system.depth(),
      'GET /queue: twenty jobs wait in the queue while no worker runs (the producer does not need the consumer)',
    ).toEqual({ ready: 20, delayed: 0, processing: 0, dead: 0 });
    expect(await system.status(jobId), 'GET /jobs/:id of a job no worker took yet').toEqual({
      id: jobId,
      status: 'queued',
      attempts: 0,
    });
    expectJsonError(await system.call('/jobs/no-such-job'), 404, 'GET /jobs/:id for an unknown job');
    expectJsonError(await system.call('/jobs/no-such-job/result'), 404, 'GET /jobs/:id/result, unknown job');
    expectJsonError(await system.call(`/jobs/${jobId}/result`), 409, 'the result of a job not done yet');

    system.spawnWorker();
    await system.settled(all, 20_000, 'the worker did not finish the twenty queued jobs');
    const states = await Promise.all(all.map(async (id) => (await system.status(id)).status));
    expect(
      states.filter((s) => s !== 'done'),
      'every job queued before the worker started is done, and stays done (completing a job ends its lease)',
    ).toEqual([]);
    const result = await system.call(`/jobs/${jobId}/result`);
    expectStatus(result, 200, 'GET the result of a done job');
    expect(result.headers['content-type']).toMatch(/image\/png/);
    const { width, height } = await sharp(result.body).metadata();
    expect(`${width}x${height}`, 'the result is the processed photo: resize:16x16').toBe('16x16');
    expect((await system.album('ana')).sort(), 'each photo is in its owner’s album, once').toEqual(
      [...(ids.ana ?? [])].sort(),
    );
    expect((await system.album('ben')).sort(), 'and only in its owner’s album').toEqual(
      [...(ids.ben ?? [])].sort(),
    );
    const attempts = await Promise.all(all.map(async (id) => (await system.status(id)).attempts));
    await pause(2 * system.config.visibilityTimeoutMs); // the leases of the done jobs would have run out
    const later = await Promise.all(all.map((id) => system.status(id)));
    expect(
      later.filter((s) => s.status !== 'done'),
      'a done job stays done after its lease would have run out: completing a job ends its lease',
    ).toEqual([]);
    expect(
      later.map((s) => s.attempts),
      'a done job was handed out again after its lease would have run out: completing a job ends its lease, so that maintain() never brings it back',
    ).toEqual(attempts);
    expect(await system.album('ana'), 'and is not done again').toHaveLength(ids.ana?.length ?? 0);
    expect(
      await system.store.outside(jobId),
      'keys of a job were written outside the store’s key prefix: a Lua script built a key name itself; pass keys through KEYS',
    ).toEqual([]);
  });

  it('gives a leased job to no other worker while its lease runs, and counts each lease as an attempt', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 10_000 });
    const image = await noise(16, 16);
    const uploaded = [await system.upload(image, 'resize:8x8'), await system.upload(image, 'resize:8x8')];
    const [a, b] = [system.connectQueue(), system.connectQueue()];
    const first = await step('reserve() on a queue with two ready jobs', a.queue.reserve());
    expect(first?.id, 'reserve() leases one of the two ready jobs').toBeOneOf(uploaded);
    const held = first?.id as string;
    expect(first?.attempts, 'reserve() counts an attempt: the first lease of a job is attempt 1').toBe(1);
    expect(await system.status(held), 'GET /jobs/:id of a leased job').toEqual({
      id: held,
      status: 'processing',
      attempts: 1,
    });
    await step('maintain() on a second worker', b.queue.maintain());
    const second = await step('reserve() on a second worker', b.queue.reserve());
    expect(
      second?.id,
      `the job a worker holds was handed to a second worker although its 10 s lease runs: reserve() must take a job that waits, never one that is leased${clockTraps(system.store)}`,
    ).not.toBe(held);
    expect(second?.id, 'the second worker gets the other ready job').toBeOneOf(uploaded);
    expect(await system.depth(), 'GET /queue: both jobs leased (processing), none ready').toEqual({
      ready: 0,
      delayed: 0,
      processing: 2,
      dead: 0,
    });
    await b.queue.maintain();
    const third = await step('reserve() with every job leased', b.queue.reserve());
    expect(
      third,
      `both jobs are leased, so there is nothing to hand out, yet reserve() returned ${third?.id}: several workers would hold the same job${clockTraps(system.store)}`,
    ).toBeUndefined();

    // Two more jobs, and two workers that ask at the same moment.
    const more = [await system.upload(image, 'resize:8x8'), await system.upload(image, 'resize:8x8')];
    const [c, d] = [system.connectQueue(), system.connectQueue()];
    await step('two more connections open', Promise.all([c.client.ping(), d.client.ping()])); // so both ask at once
    const pair = await step(
      'two reserve() calls at the same moment',
      Promise.all([c.queue.reserve(), d.queue.reserve()]),
    );
    const got = pair.flatMap((job) => (job ? [job.id] : []));
    expect(got.length, 'two workers that ask at the same moment get a job each').toBeGreaterThan(0);
    expect(got.every((id) => more.includes(id))).toBe(true);
    expect(
      new Set(got).size,
      `two workers that asked at the same moment were both handed ${got[0]}: take a job and lease it in one atomic step (one Lua script), not a look and then a claim`,
    ).toBe(got.length);
  });

  it('redelivers the job of a worker that died in the middle of it, and completes it', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 300 });
    const image = await SLOW_JOB.image();
    let id: string | undefined;
    let attempts = 0;
    let caught = false;
    // A worker too quick to be caught with the job in hand is given another job, up to three times.
    for (let tries = 0; tries < 3 && attempts < 2; tries++) {
      id = await system.upload(image, SLOW_JOB.ops);
      const first = system.spawnWorker();
      if (!(await system.inHand(id))) continue;
      first.crash(); // the worker's process dies with the job in its hands
      caught = true;
      system.spawnWorker();
      const [state] = await system.settled(
        [id],
        20_000,
        `the job of the dead worker was never done: a job whose worker does not finish within the visibility timeout (300 ms) must go back to the queue${clockTraps(system.store)}`,
      );
      expect(state, 'the redelivered job is done').toBe('done');
      attempts = (await system.status(id)).attempts;
    }
    expect(caught, 'a worker was caught with a job in hand (status processing), three tries').toBe(true);
    expect(
      attempts,
      'the job was caught in processing when its worker died, and a second worker took it (attempt 2)',
    ).toBeGreaterThanOrEqual(2);
    expect(
      (await system.album()).filter((x) => x === id),
      'the redelivered job is in the album once',
    ).toHaveLength(1);
  });

  it('applies a job once when its worker stood still past its lease, the job was redelivered and done, and the worker went on to finish it too', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 300 });
    const image = await SLOW_JOB.image();
    let id: string | undefined;
    let caught = false;
    for (let tries = 0; tries < 3 && !caught; tries++) {
      id = await system.upload(image, SLOW_JOB.ops);
      const first = system.spawnWorker();
      if (!(await system.inHand(id))) continue;
      // Its process stands still (a long pause, a partition): no command of it reaches Redis, so its lease
      // runs out, whatever it would have done to keep it.
      first.freeze();
      const second = system.spawnWorker();
      await system.settled(
        [id],
        20_000,
        `the job of a worker that stood still was never redelivered and done: a lease that runs out (300 ms) must bring the job back to the queue${clockTraps(system.store)}`,
      );
      first.thaw(); // it goes on where it stood: it finishes the job it held
      await system.stopped(first, 'the first worker finishes the job it held, then stops');
      await system.stopped(second, 'the second worker stops');
      caught = (await system.status(id)).attempts > 1; // else the first worker had finished just before
    }
    expect(caught, 'a worker was caught with a job in hand (status processing), three tries').toBe(true);
    const after = await system.status(id as string);
    expect(
      (await system.album()).filter((x) => x === id),
      'two workers completed the same job, the first one after its lease had run out: the effect (the album entry) must still happen once — make completion idempotent',
    ).toHaveLength(1);
    expect(after.status, 'a done job stays done when a late worker finishes it again').toBe('done');
  });

  it('applies the effects of a job once when two workers complete it at the same moment', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 200 });
    const id = await system.upload(await noise(16, 16), 'resize:8x8');
    const [a, b] = [system.connectQueue(), system.connectQueue()];
    const held = await step('reserve() on the first worker', a.queue.reserve());
    expect(held?.id).toBe(id);
    a.freeze(); // the first worker stands still past its lease
    const again = await system.reserveNext(
      b.queue,
      `the lease (200 ms) of a worker that stood still ran out, yet no other worker could take the job: maintain() must return expired leases${clockTraps(system.store)}`,
    );
    expect(again.id, 'the job is redelivered to the second worker').toBe(id);
    a.thaw();
    // Both workers finish the job at the same moment, and complete it with the same effect.
    const effect = `effects:${id}`;
    await step(
      'two complete() calls at the same moment',
      // A design may refuse (or reject) the completion of a worker whose lease ran out: either is fine.
      Promise.allSettled([
        a.queue.complete(id, [['RPUSH', effect, 'applied']]),
        b.queue.complete(id, [['RPUSH', effect, 'applied']]),
      ]),
    );
    expect(
      await system.store.client.lrange(effect, 0, -1),
      'two completions of one job at the same moment both applied its effect: check "already applied?" and apply in one atomic step (one Lua script), not a read and then a write',
    ).toEqual(['applied']);
    expect((await system.status(id)).status, 'and the job is done').toBe('done');
  });

  it('does 100 jobs exactly once in effect while workers are killed at random', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 250 });
    const image = await noise(24, 24, 11);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++)
      ids.push(await system.upload(image, i % 2 ? 'resize:20x20' : 'resize:12x12'));
    const random = seededRandom(2026);
    const crew = Array.from({ length: 4 }, () => system.spawnWorker());
    let killed = 0;
    let lastKill = 0;
    let entries = 0;
    // Every ten album entries, a worker's process dies and a new one takes its place.
    const chaos = async () => {
      entries = (await system.album()).length;
      if (entries - lastKill >= 10 && killed < 30) {
        lastKill = entries;
        const victim = Math.floor(random() * crew.length);
        crew[victim]?.crash();
        crew[victim] = system.spawnWorker();
        killed += 1;
      }
      return entries >= 100;
    };
    await until(chaos, 30_000, () => `the album is stuck at ${entries} of 100 entries: jobs are lost`);
    const states = await system.settled(ids, 30_000, 'not every job was done after the workers were killed');
    expect(
      states.filter((s) => s !== 'done'),
      'no job may be lost',
    ).toEqual([]);
    const album = await system.album();
    expect(killed, 'workers were killed during the run').toBeGreaterThan(3);
    expect(
      album.length,
      `${album.length} album entries for 100 jobs: a redelivery must not apply twice`,
    ).toBe(100);
    expect(new Set(album).size, 'and every job appears once').toBe(100);
  }, 60_000); // 100 jobs through crashing workers: slow on a loaded machine
});
