/**
 * Runs before every chapter test (vitest.config.ts `setupFiles`): tells kit/wait.ts when the test's time
 * limit runs out, so that every kit deadline fires first and names the step that hung.
 */
import { beforeEach } from 'vitest';
import { setTestDeadline } from './wait.js';

beforeEach((context) => {
  setTestDeadline(Date.now() + context.task.timeout);
});
