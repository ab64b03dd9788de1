/**
 * One user's writes and moves run one after another: a chain of promises per user id. A move of that user
 * waits for the writes queued before it, and the writes queued after it wait for the move: none can land
 * on the old shard between the copy and the delete.
 *
 * This lock lives in this process. With several web servers (chapter 05's stateless tier) each would
 * have its own, and the switch must be coordinated across them: see the README, "One process or many".
 */
export interface UserLocks {
  /** Runs `work` after everything queued before it for this user, whether that failed or not. */
  withUser<T>(userId: number, work: () => Promise<T>): Promise<T>;
  /** Resolves when everything queued so far, for any user, has finished. */
  drain(): Promise<void>;
}

export function createUserLocks(): UserLocks {
  const tails = new Map<number, Promise<unknown>>();
  const inflight = new Set<Promise<unknown>>();
  return {
    withUser(userId, work) {
      const result = (tails.get(userId) ?? Promise.resolve()).then(work, work);
      const tail = result.catch(() => undefined);
      tails.set(userId, tail);
      inflight.add(tail);
      void tail.then(() => {
        inflight.delete(tail);
        if (tails.get(userId) === tail) tails.delete(userId);
      });
      return result;
    },
    async drain() {
      await Promise.allSettled([...inflight]);
    },
  };
}
