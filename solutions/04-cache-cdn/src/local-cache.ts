/**
 * An in-process cache with a fixed capacity and one of three eviction policies, every operation O(1):
 * - LRU evicts the least recently used entry (a Map keeps insertion order: re-insert on use);
 * - LFU evicts the least frequently used (one ordered set per frequency; ties go to the least recent);
 * - FIFO evicts the oldest entry, whatever its use.
 */
export type Policy = 'lru' | 'lfu' | 'fifo';

export interface LocalCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  has(key: string): boolean;
  readonly size: number;
}

export function createLocalCache<V>(capacity: number, policy: Policy): LocalCache<V> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError('capacity must be a positive integer');
  if (policy === 'lfu') return lfu<V>(capacity);
  const entries = new Map<string, V>();
  const touch = (key: string, value: V) => {
    entries.delete(key);
    entries.set(key, value);
  };
  return {
    get(key) {
      if (!entries.has(key)) return undefined;
      const value = entries.get(key) as V;
      if (policy === 'lru') touch(key, value);
      return value;
    },
    set(key, value) {
      if (entries.has(key)) {
        if (policy === 'lru') touch(key, value);
        else entries.set(key, value);
        return;
      }
      if (entries.size >= capacity) entries.delete(entries.keys().next().value as string);
      entries.set(key, value);
    },
    has: (key) => entries.has(key),
    get size() {
      return entries.size;
    },
  };
}

function lfu<V>(capacity: number): LocalCache<V> {
  const values = new Map<string, { value: V; count: number }>();
  const byCount = new Map<number, Set<string>>();
  let least = 0;
  const bump = (key: string, entry: { count: number }) => {
    const set = byCount.get(entry.count) as Set<string>;
    set.delete(key);
    if (set.size === 0) {
      byCount.delete(entry.count);
      if (least === entry.count) least += 1;
    }
    entry.count += 1;
    const next = byCount.get(entry.count) ?? new Set<string>();
    next.add(key);
    byCount.set(entry.count, next);
  };
  return {
    get(key) {
      const entry = values.get(key);
      if (!entry) return undefined;
      bump(key, entry);
      return entry.value;
    },
    set(key, value) {
      const entry = values.get(key);
      if (entry) {
        entry.value = value;
        bump(key, entry);
        return;
      }
      if (values.size >= capacity) {
        const set = byCount.get(least) as Set<string>;
        const victim = set.values().next().value as string;
        set.delete(victim);
        if (set.size === 0) byCount.delete(least);
        values.delete(victim);
      }
      values.set(key, { value, count: 1 });
      const ones = byCount.get(1) ?? new Set<string>();
      ones.add(key);
      byCount.set(1, ones);
      least = 1;
    },
    has: (key) => values.has(key),
    get size() {
      return values.size;
    },
  };
}
