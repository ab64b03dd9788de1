/**
 * Waiting on events with a deadline, so that a missing event fails with a message instead of a timeout.
 * Every deadline here ends before the test's own time limit (kit/setup.ts tells this module when the running
 * test must end), so a hung step is reported by its message, never by vitest's bare "Test timed out".
 */

/** Time kept between a step's deadline and the test's, for the failure to be reported. */
const MARGIN_MS = 400;
let testEndsAt = Number.POSITIVE_INFINITY;

/** Called before each test (kit/setup.ts): when the running test's time limit runs out. */
export function setTestDeadline(endsAt: number): void {
  testEndsAt = endsAt;
}

/** Milliseconds left for a step of the running test before its time limit, less a margin for the report. */
export function timeLeft(): number {
  return Math.max(50, testEndsAt - Date.now() - MARGIN_MS);
}

/**
 * One step of a test's story, with a deadline: `await step('the replica catches up', cluster.sync())`.
 * It resolves with the step's value, or fails with `what` (a function may describe the last state seen)
 * when the step has not finished within `ms` or before the test's time runs out, whichever comes first.
 */
export function step<T>(what: string | (() => string), promise: Promise<T>, ms?: number): Promise<T> {
  const text = () => (typeof what === 'string' ? what : what());
  return within(promise, ms ?? timeLeft(), () => `step did not finish: ${text()}`);
}

/**
 * Resolves with the promise's value, or rejects with `message` if it has not settled within `ms` (a function
 * is asked at that moment, so that it can describe the last state seen).
 */
export async function within<T>(
  promise: Promise<T>,
  ms: number,
  message: string | (() => string),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const wait = Math.min(ms, timeLeft());
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const text = typeof message === 'string' ? message : message();
      reject(new Error(`${text} (waited ${Math.round(wait)} ms)`));
    }, wait);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when `count` of the promises have settled, whichever they are. */
export function settled(promises: Promise<unknown>[], count: number): Promise<void> {
  return new Promise((resolve) => {
    let n = 0;
    if (count <= 0) resolve();
    for (const p of promises) {
      p.finally(() => {
        n += 1;
        if (n === count) resolve();
      }).catch(() => undefined);
    }
  });
}

/**
 * Asks `condition` every `everyMs` until it holds — for state that can only be observed by asking (an API,
 * a DNS answer, a replication status) — and resolves with how long that took; fails with `message` (a
 * function can describe the last state it saw) after `ms`. An error of `condition` fails it at once.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  ms: number,
  message: string | (() => string),
  everyMs = 10,
): Promise<number> {
  const started = performance.now();
  let stop = false;
  const poll = async () => {
    while (!stop) {
      if (await condition()) return performance.now() - started;
      await pause(everyMs);
    }
    return Number.NaN;
  };
  try {
    return await within(poll(), ms, message);
  } finally {
    stop = true;
  }
}

/**
 * Lets `ms` of time pass on purpose: a TTL that must run out, a pace for a load, a window in which something
 * must NOT happen. Never a way to wait for an event: wait on the event (within, step, until).
 */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
