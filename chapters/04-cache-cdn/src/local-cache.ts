/** An in-process cache with a capacity and an eviction policy; every operation O(1). README: task 5. */
export type Policy = 'lru' | 'lfu' | 'fifo';

export interface LocalCache<V> {
  /** The value, or undefined; counts as a use (LRU, LFU). */
  get(key: string): V | undefined;
  /** Adds or replaces; when a new key finds the cache full, the policy evicts one entry first. */
  set(key: string, value: V): void;
  /** Whether the key is cached; not a use. */
  has(key: string): boolean;
  readonly size: number;
}

export function createLocalCache<V>(capacity: number, policy: Policy): LocalCache<V> {
  throw new Error(`TODO (README, task 5): a ${policy} cache of ${capacity} entries`);
}
