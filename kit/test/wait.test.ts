import { expect, test } from 'vitest';
import { setTestDeadline, step, until, within } from '#kit/wait';

test('within resolves with the value, or fails with the message after the deadline', async () => {
  expect(await within(Promise.resolve(7), 100, 'never')).toBe(7);
  await expect(within(new Promise(() => {}), 30, 'the event never came')).rejects.toThrow(
    'the event never came (waited 30 ms)',
  );
});

test('until asks again until the condition holds, and says how long that took', async () => {
  let asked = 0;
  const took = await until(() => ++asked === 3, 1000, 'never held', 5);
  expect(asked).toBe(3);
  expect(took).toBeGreaterThanOrEqual(0);
});

test('until fails with the message, or with what the message function saw last, and stops asking', async () => {
  let asked = 0;
  await expect(until(() => false, 30, 'the answer never moved')).rejects.toThrow(
    'the answer never moved (waited 30 ms)',
  );
  await expect(
    until(
      () => {
        asked += 1;
        return false;
      },
      30,
      () => `still pending after ${asked} looks`,
    ),
  ).rejects.toThrow(/still pending after \d+ looks \(waited 30 ms\)/);
  const after = asked;
  await new Promise((resolve) => setTimeout(resolve, 40));
  expect(asked, 'a condition is not asked again once until() gave up').toBe(after);
});

test('a step that hangs fails with its own name before the test runs out of time', async () => {
  setTestDeadline(Date.now() + 600);
  const started = Date.now();
  await expect(step('the write queue drains', new Promise(() => {}))).rejects.toThrow(
    'step did not finish: the write queue drains',
  );
  expect(Date.now() - started).toBeLessThan(600);
  setTestDeadline(Number.POSITIVE_INFINITY);
});

test('a deadline longer than the time the test has left is cut to what is left', async () => {
  setTestDeadline(Date.now() + 500);
  await expect(within(new Promise(() => {}), 60_000, 'the event never came')).rejects.toThrow(
    /the event never came \(waited \d+ ms\)/,
  );
  setTestDeadline(Number.POSITIVE_INFINITY);
});
