/** Reads per user, to find the hot keys: the users with a large share of all reads. */

export interface ReadCounter {
  count(userId: number): void;
  /** Users with at least `minShare` of all reads so far, the busiest first. */
  hotUsers(minShare: number): number[];
}

export function createReadCounter(): ReadCounter {
  const reads = new Map<number, number>();
  let total = 0;
  return {
    count(userId) {
      reads.set(userId, (reads.get(userId) ?? 0) + 1);
      total += 1;
    },
    hotUsers(minShare) {
      if (!(minShare > 0 && minShare <= 1))
        throw new Error('minShare is a share of the reads, above 0 and at most 1');
      return [...reads.entries()]
        .filter(([, count]) => count / total >= minShare)
        .sort((a, b) => b[1] - a[1])
        .map(([userId]) => userId);
    },
  };
}
