/** Waiting on events with a deadline, so that a missing event fails with a message instead of a timeout. */

/** Resolves with the promise's value, or rejects with `message` if it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (waited ${ms} ms)`)), ms);
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
