/**
 * Task 4 — scaling the workers. The queue's depth says how far behind the workers are: add workers while
 * it grows, remove them when it is empty, within bounds.
 */
import { describe, expect, it } from 'vitest';
import { createWorkerScaler } from '../src/scaler.js';
import { noise, SLOW_JOB, startSystem } from './system.js';

describe('Scaling the workers with the queue', () => {
  it('follows the queue depth between min and max', async () => {
    const system = await startSystem();
    const scaler = createWorkerScaler({
      depth: async () => {
        const d = (await system.call('/queue')).json<{ ready: number; delayed: number }>();
        return d.ready + d.delayed;
      },
      startWorker: () => system.spawnWorker().worker,
      min: 0,
      max: 4,
      jobsPerWorker: 10,
    });
    expect(await scaler.evaluate(), 'an empty queue with min 0: no worker').toBe(0);

    const image = await noise(16, 16);
    const ids = [];
    for (let i = 0; i < 60; i++) ids.push(await system.upload(image, 'resize:8x8'));
    expect(
      (await system.call('/queue')).json<{ ready: number }>().ready,
      'the depth is observable: 60 jobs wait',
    ).toBe(60);
    expect(await scaler.evaluate(), '60 jobs at 10 per worker would need 6 workers; max is 4').toBe(4);

    await system.settled(ids, 20_000, 'the four workers did not finish the 60 jobs');
    expect(await scaler.evaluate(), 'the queue is empty again: back to min (0)').toBe(0);

    for (let i = 0; i < 5; i++) ids.push(await system.upload(image, 'resize:8x8'));
    expect(await scaler.evaluate(), '5 jobs: one worker').toBe(1);
    await system.settled(ids, 20_000, 'the last five jobs were not done');
    await scaler.stopAll();
    expect(scaler.size()).toBe(0);
  });

  it('keeps at least min workers on an empty queue', async () => {
    const system = await startSystem();
    const scaler = createWorkerScaler({
      depth: async () => 0,
      startWorker: () => system.spawnWorker().worker,
      min: 2,
      max: 5,
      jobsPerWorker: 10,
    });
    expect(await scaler.evaluate(), 'an empty queue with min 2: two workers stay ready').toBe(2);
    await scaler.stopAll();
    expect(scaler.size(), 'stopAll() stops them all').toBe(0);
  });

  it('stops a worker gracefully: a worker it removes finishes the job in hand first', async () => {
    const system = await startSystem({ visibilityTimeoutMs: 10_000 });
    let backlog = 0;
    const scaler = createWorkerScaler({
      depth: async () => backlog,
      startWorker: () => system.spawnWorker().worker,
      min: 0,
      max: 2,
      jobsPerWorker: 10,
    });
    const image = await SLOW_JOB.image();
    let caught: string | undefined;
    for (let tries = 0; tries < 3 && !caught; tries++) {
      const id = await system.upload(image, SLOW_JOB.ops);
      backlog = 1;
      expect(await scaler.evaluate(), 'one job waits: one worker').toBe(1);
      if (await system.inHand(id)) caught = id;
      backlog = 0;
      expect(await scaler.evaluate(), 'the queue is empty: no worker (min 0)').toBe(0);
      if (caught)
        expect(
          (await system.status(caught)).status,
          'the scaler removed a worker that held a job, and the job was left in processing: evaluate() resolves when the workers it stops have finished the job in hand (stop() finishes it, then stops)',
        ).toBe('done');
    }
    expect(caught, 'a worker was caught with a job in hand (status processing), three tries').toBeDefined();
  });
});
