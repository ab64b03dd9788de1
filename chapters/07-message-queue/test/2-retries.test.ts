/**
 * Task 2 — failures that are not crashes. A job that fails is tried again after a growing pause; a job
 * that keeps failing (a poison message) is set aside in a dead-letter queue, where people can see it,
 * instead of blocking or looping forever.
 */
import { describe, expect, it } from 'vitest';
import { within } from '#kit/wait';
import { noise, startSystem } from './system.js';

describe('Retries and dead letters', () => {
  it('retries a failing job with growing backoff, then dead-letters it where the API shows it', async () => {
    const system = await startSystem({ maxAttempts: 3, backoffMs: 200 });
    system.spawnWorker();
    const poison = await system.upload(Buffer.from('this is not an image at all'), 'resize:10x10');
    const good = await system.upload(await noise(16, 16), 'resize:8x8');
    // Note when each attempt starts (the attempts counter goes up), until the job has failed for good.
    const attemptsAt: number[] = [];
    const watch = async () => {
      for (;;) {
        const { status, attempts } = await system.status(poison);
        while (attemptsAt.length < attempts) attemptsAt.push(performance.now());
        if (status === 'failed') return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await within(watch(), 20_000, 'the poison job never reached a final state');
    await system.settled([good], 20_000, 'the good job was not done');

    const status = await system.status(poison);
    expect(status.status, 'after maxAttempts failures the job is failed for good').toBe('failed');
    expect(status.attempts, 'it was tried exactly maxAttempts (3) times').toBe(3);
    expect(status.error, 'the job says why it failed').toMatch(/\w/);
    const [first = 0, second = 0, third = 0] = attemptsAt;
    const gaps = [second - first, third - second];
    expect(
      gaps[0],
      `the first retry came ${gaps[0]?.toFixed(0)} ms after the first attempt: wait backoffMs (200) first`,
      // Attempts are seen by polling the API, so the first one may be seen a little late: some slack.
    ).toBeGreaterThanOrEqual(150);
    // A busy machine only makes pauses longer, so the second one is held to its lower bound: 2 × backoffMs.
    expect(
      gaps[1] ?? 0,
      `the retries came ${gaps.map((g) => g.toFixed(0)).join(' ms and ')} ms apart: each pause is twice the one before (200, then 400 ms)`,
    ).toBeGreaterThanOrEqual(380);
    const dead = (await system.call('/dead-letters'))
      .json<{ jobs: { id: string }[] }>()
      .jobs.map((j) => j.id);
    expect(dead, 'GET /dead-letters lists the poison job').toEqual([poison]);
    expect((await system.status(good)).status, 'the poison job did not block the others').toBe('done');
    expect((await system.call(`/jobs/${poison}/result`)).status, 'a failed job has no result').toBe(409);
  });
});
