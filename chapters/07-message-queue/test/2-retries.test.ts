/**
 * Task 2 — failures that are not crashes. A job that fails is tried again after a growing pause; a job
 * that keeps failing (a poison message) is set aside in a dead-letter queue, where people can see it,
 * instead of blocking or looping forever.
 */
import { describe, expect, it } from 'vitest';
import { noise, startSystem } from './system.js';

describe('Retries and dead letters', () => {
  it('retries a failing job with growing backoff, then dead-letters it where the API shows it', async () => {
    const system = await startSystem({ maxAttempts: 3, backoffMs: 100 });
    system.spawnWorker();
    const started = performance.now();
    const poison = await system.upload(Buffer.from('this is not an image at all'), 'resize:10x10');
    const good = await system.upload(await noise(16, 16), 'resize:8x8');
    await system.settled([poison, good], 20_000, 'the poison job never reached a final state');
    const elapsed = performance.now() - started;

    const status = await system.status(poison);
    expect(status.status, 'after maxAttempts failures the job is failed for good').toBe('failed');
    expect(status.attempts, 'it was tried exactly maxAttempts (3) times').toBe(3);
    expect(status.error, 'the job says why it failed').toMatch(/\w/);
    expect(
      elapsed,
      `three attempts with backoff 100 ms then 200 ms take at least 300 ms; this took ${elapsed.toFixed(0)} ms: wait before retrying`,
    ).toBeGreaterThanOrEqual(290);
    const dead = (await system.call('/dead-letters'))
      .json<{ jobs: { id: string }[] }>()
      .jobs.map((j) => j.id);
    expect(dead, 'GET /dead-letters lists the poison job').toEqual([poison]);
    expect((await system.status(good)).status, 'the poison job did not block the others').toBe('done');
    expect((await system.call(`/jobs/${poison}/result`)).status, 'a failed job has no result').toBe(409);
  });
});
