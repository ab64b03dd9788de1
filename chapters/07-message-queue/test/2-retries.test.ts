/**
 * Task 2 — failures that are not crashes. A job that fails is tried again after a growing pause; a job
 * that keeps failing (a poison message) is set aside in a dead-letter queue, where people can see it,
 * instead of blocking or looping forever. So is a job whose every worker dies or hangs on it.
 */
import { describe, expect, it } from 'vitest';
import { step, until } from '#kit/wait';
import { clockTraps, type JobStatus, noise, startSystem } from './system.js';

/** One look at a job through the API: when the request left, when the answer came, what it said. */
interface Look {
  sent: number;
  received: number;
  poison: JobStatus;
  good: JobStatus;
}

describe('Retries and dead letters', () => {
  it('retries a failing job after pauses that double, then dead-letters it where the API shows it', async () => {
    const backoffMs = 150;
    const maxAttempts = 4;
    const system = await startSystem({ maxAttempts, backoffMs, visibilityTimeoutMs: 5_000 });
    const poison = await system.upload(Buffer.from('this is not an image at all'), 'resize:10x10');
    const good = await system.upload(await noise(16, 16), 'resize:8x8');
    // Every look at the two jobs, from before the worker starts until the poison job has failed for good.
    const looks: Look[] = [];
    const watch = async () => {
      const sent = performance.now();
      const [p, g] = await Promise.all([system.status(poison), system.status(good)]);
      looks.push({ sent, received: performance.now(), poison: p, good: g });
      return p.status === 'failed' || p.attempts > maxAttempts;
    };
    await watch();
    system.spawnWorker();
    await until(
      watch,
      20_000,
      () => `the poison job never failed for good: ${JSON.stringify(looks.at(-1))}`,
      3,
    );

    const status = await system.status(poison);
    expect(
      looks.some(
        (l) => l.good.status === 'done' && l.poison.status !== 'failed' && l.poison.attempts < maxAttempts,
      ),
      'the good job was done only after the poison job had used up its attempts: a job waiting for its retry must not hold up the others (return it to the queue, do not retry it in the worker)',
    ).toBe(true);
    expect(status.status, 'after maxAttempts failures the job is failed for good').toBe('failed');
    expect(status.attempts, `it was tried exactly maxAttempts (${maxAttempts}) times`).toBe(maxAttempts);
    expect(status.error, 'GET /jobs/:id of a failed job says why it failed').toMatch(/\w/);
    // Attempt k started (its count went up) after the last look that did not see it was sent, and before
    // the first look that saw it came back. So the pause between attempt k and k + 1 was at most the time
    // from the first to the second: a bound that a busy machine can only make larger, never fail.
    const lastWithout = (k: number) => looks.filter((l) => l.poison.attempts < k).at(-1)?.sent ?? 0;
    const firstWith = (k: number) => looks.find((l) => l.poison.attempts >= k)?.received ?? 0;
    for (let k = 1; k < maxAttempts; k++) {
      const atMost = firstWith(k + 1) - lastWithout(k);
      const rule = backoffMs * 2 ** (k - 1);
      expect(
        atMost,
        `attempt ${k + 1} came at most ${atMost.toFixed(0)} ms after attempt ${k}: after failed attempt ${k} the job waits backoffMs × 2^${k - 1} = ${rule} ms, each pause twice the one before${clockTraps(system.store)}`,
      ).toBeGreaterThanOrEqual(rule);
    }
    expect(
      await system.deadLetters(),
      'GET /dead-letters lists the poison job, its attempts and error',
    ).toEqual([{ id: poison, attempts: maxAttempts, error: expect.stringMatching(/\w/) }]);
    expect(await system.depth(), 'GET /queue: one dead job, nothing else').toEqual({
      ready: 0,
      delayed: 0,
      processing: 0,
      dead: 1,
    });
    expect((await system.status(good)).status, 'the good job is done').toBe('done');
    expect((await system.call(`/jobs/${poison}/result`)).status, 'a failed job has no result').toBe(409);
  });

  it('keeps a job that waits for its retry as delayed: not ready, not handed out', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 10_000, maxAttempts: 3, backoffMs: 60_000 });
    const id = await system.upload(await noise(16, 16), 'resize:8x8');
    const worker = system.connectQueue();
    const job = await step('reserve() a job', worker.queue.reserve());
    expect(job?.id).toBe(id);
    expect(
      await step('fail() its first attempt', worker.queue.fail(id, 'the printer is on fire')),
      'the first of three attempts failed: the job will be retried',
    ).toBe('retry');
    expect(
      await system.depth(),
      'GET /queue: the failed job waits for its retry (60 s away) as delayed, not ready or processing',
    ).toEqual({ ready: 0, delayed: 1, processing: 0, dead: 0 });
    expect(await system.status(id), 'GET /jobs/:id: a job that waits for its retry is queued').toMatchObject({
      status: 'queued',
      attempts: 1,
    });
    await step('maintain()', worker.queue.maintain());
    expect(
      await step('reserve() while the retry is not due', worker.queue.reserve()),
      `a job whose retry is 60 s away was handed out at once: fail() must delay it by backoffMs × 2^(attempts − 1)${clockTraps(system.store)}`,
    ).toBeUndefined();
  });

  it('dead-letters a job whose lease runs out maxAttempts times: every worker that took it died', async () => {
    const maxAttempts = 2;
    const system = await startSystem({ visibilityTimeoutMs: 100, maxAttempts, backoffMs: 20 });
    const id = await system.upload(await noise(16, 16), 'resize:8x8');
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const worker = system.connectQueue();
      const job = await system.reserveNext(
        worker.queue,
        `the job was not handed out for attempt ${attempt}: a lease that runs out (100 ms) brings it back${clockTraps(system.store)}`,
      );
      expect(job.id).toBe(id);
      expect(job.attempts, 'each lease counts an attempt').toBe(attempt);
      worker.crash(); // the worker's process dies with the job in its hands
    }
    const survivor = system.connectQueue();
    let seen: JobStatus | undefined;
    await until(
      async () => {
        await survivor.queue.maintain();
        const again = await survivor.queue.reserve();
        if (again)
          throw new Error(
            `the job was handed out for attempt ${again.attempts}, although its lease had run out maxAttempts (${maxAttempts}) times: a job that every worker dies on is poison too — after maxAttempts attempts, however they ended, it goes to the dead letters`,
          );
        seen = await system.status(id);
        return seen.status === 'failed';
      },
      5_000,
      () =>
        `the job whose lease ran out ${maxAttempts} times never failed (last: ${JSON.stringify(seen)}): maintain() must dead-letter it`,
      10,
    );
    expect(seen?.error, 'the failed job says why: its lease ran out').toMatch(/\w/);
    expect(await system.deadLetters(), 'GET /dead-letters lists it with its attempts').toEqual([
      { id, attempts: maxAttempts, error: expect.stringMatching(/\w/) },
    ]);
    expect(await system.depth(), 'GET /queue: one dead job, nothing else').toEqual({
      ready: 0,
      delayed: 0,
      processing: 0,
      dead: 1,
    });
  });
});
