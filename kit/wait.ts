/** Waiting on events with a deadline, so that a missing event fails with a message instead of a timeout. */

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
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const text = typeof message === 'string' ? message : message();
      reject(new Error(`${text} (waited ${ms} ms)`));
    }, ms);
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
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    return Number.NaN;
  };
  try {
    return await within(poll(), ms, message);
  } finally {
    stop = true;
  }
}
