/**
 * Task 1 — a durable queue. The web tier answers at once and hands the work to the queue; workers take it
 * whenever they run. Nothing acknowledged is lost: not when no worker runs, not when a worker dies, and a
 * job done twice by accident still counts once.
 */

import { describe, expect, it } from 'vitest';
import { expectStatus } from '#kit/expect';
import { seededRandom } from '#kit/random';
import { within } from '#kit/wait';
import { large, noise, startSystem } from './system.js';

describe('Durable queue and workers', () => {
  it('accepts photos with 202 while no worker runs, and a worker started later processes them all', async () => {
    const system = await startSystem();
    const image = await noise(32, 32);
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push(await system.upload(image, 'resize:16x16'));
    const depth = (await system.call('/queue')).json<{ ready: number }>();
    expect(
      depth.ready,
      'twenty jobs wait in the queue while no worker runs: the producer does not need the consumer',
    ).toBe(20);
    expect((await system.status(ids[0] as string)).status).toBe('queued');

    system.spawnWorker();
    const states = await system.settled(ids, 20_000, 'the worker did not finish the twenty queued jobs');
    expect(
      states.every((s) => s === 'done'),
      'every job queued before the worker started is done',
    ).toBe(true);
    const result = await system.call(`/jobs/${ids[0]}/result`);
    expectStatus(result, 200, 'GET the result of a done job');
    expect(result.headers['content-type']).toMatch(/image\/png/);
    expect((await system.album()).sort(), 'each photo is in its owner’s album once').toEqual([...ids].sort());
    await new Promise((resolve) => setTimeout(resolve, 400)); // longer than the 300 ms lease
    const later = await Promise.all(ids.map(async (id) => (await system.status(id)).status));
    expect(
      later.filter((s) => s !== 'done'),
      'a done job stays done after its lease would have run out',
    ).toEqual([]);
    expect(
      await system.store.outside(ids[0] as string),
      'keys of a job were written outside the store’s key prefix: a Lua script built a key name itself; pass keys through KEYS',
    ).toEqual([]);
  });

  it('redelivers the job of a worker that died in the middle of it, and completes it', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 300 });
    const big = await large(2000, 7);
    let caught: string | undefined;
    for (let attempt = 0; attempt < 3 && !caught; attempt++) {
      const id = await system.upload(big, 'blur:8,resize:100x100');
      const first = system.spawnWorker();
      const watch = async () => {
        for (;;) {
          const { status, error } = await system.status(id);
          if (status === 'processing') {
            first.crash(); // the worker's process dies with the job in its hands
            caught = id;
            return;
          }
          if (status === 'done') return; // too quick to catch: try again with another job
          if (status === 'failed') throw new Error(`the job failed: ${error}`);
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      await within(watch(), 10_000, 'the worker never took the job (status stayed queued)');
    }
    expect(caught, 'a job was caught in processing when its worker died').toBeDefined();
    system.spawnWorker();
    const [state] = await system.settled(
      [caught as string],
      20_000,
      'the job of the dead worker was never done: a job whose worker does not finish within the visibility timeout must go back to the queue',
    );
    expect(state).toBe('done');
    expect(
      (await system.album()).filter((id) => id === caught),
      'the redelivered job is in the album once',
    ).toHaveLength(1);
  });

  it('applies a job once even when a slow worker and a redelivery both finish it', async () => {
    // A lease shorter than the work: the job is handed to a second worker while the first still works on it.
    const system = await startSystem({ visibilityTimeoutMs: 40 });
    const id = await system.upload(await large(2000, 3), 'blur:10,sharpen,resize:80x80');
    const workers = [system.spawnWorker(), system.spawnWorker()];
    await system.settled([id], 20_000, 'the job was never done');
    // Let both workers finish what they hold, so that a second completion has happened if it is going to.
    await Promise.all(workers.map((w) => w.worker.stop()));
    const after = await system.status(id);
    expect(
      after.attempts,
      'the job was delivered more than once (the lease ran out during the work)',
    ).toBeGreaterThan(1);
    expect(
      (await system.album()).filter((x) => x === id),
      'two workers completed the same job: its effect (the album entry) must still happen once — make completion idempotent',
    ).toHaveLength(1);
  });

  it('does 200 jobs exactly once in effect while workers are killed at random', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 250 });
    const image = await noise(24, 24, 11);
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) ids.push(await system.upload(image, i % 2 ? 'blur:1' : 'resize:12x12'));
    const random = seededRandom(2026);
    const crew = Array.from({ length: 4 }, () => system.spawnWorker());
    let killed = 0;
    let lastDone = 0;
    const done = async () => (await system.album()).length;
    const chaosUntil = Date.now() + 30_000;
    for (let n = await done(); n < 200; n = await done()) {
      if (Date.now() > chaosUntil)
        throw new Error(`the album is stuck at ${n} of 200 entries: jobs are lost`);
      if (n - lastDone >= 20) {
        lastDone = n;
        const victim = Math.floor(random() * crew.length);
        crew[victim]?.crash();
        crew[victim] = system.spawnWorker();
        killed += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (killed > 30) break;
    }
    const states = await system.settled(ids, 45_000, 'not every job was done after the workers were killed');
    expect(
      states.filter((s) => s !== 'done'),
      'no job may be lost',
    ).toEqual([]);
    const album = await system.album();
    expect(killed, 'workers were killed during the run').toBeGreaterThan(3);
    expect(
      album.length,
      `${album.length} album entries for 200 jobs: a redelivery must not apply twice`,
    ).toBe(200);
    expect(new Set(album).size, 'and every job appears once').toBe(200);
  }, 60_000); // 200 jobs through crashing workers: slow on a loaded machine
});
