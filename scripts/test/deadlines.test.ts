import { describe, expect, it } from 'vitest';
import { runVitest } from '../lib/vitest-run.js';
import { copyFixture } from './fixture.js';

describe('a learner operation that hangs', () => {
  it("is reported by the test's own step, named, before vitest's time limit", async () => {
    const root = copyFixture();
    const run = await runVitest('chapters', ['04-stuck'], { root, timeLimitMs: 60_000 });
    const [test] = run.tests;
    expect(test?.status).toBe('failed');
    expect(test?.message).toContain('step did not finish: the write queue drains (drain() never resolved)');
    expect(test?.message).not.toContain('Test timed out');
  }, 60_000);
});
