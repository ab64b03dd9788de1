/**
 * An in-process cache with a fixed capacity and one of three eviction policies, every operation O(1):
 * - LRU evicts the least recently used entry: a use moves the entry to the back of a list;
 * - LFU evicts the least frequently used: one list per use count, and the smallest count kept at hand
 *   (ties go to the least recently used);
 * - FIFO evicts the oldest entry, whatever its use.
 * The lists are doubly linked, so that taking an entry out of the middle costs O(1). (A JavaScript Map
 * keeps insertion order too, but V8 leaves deleted slots at its head until it rehashes, so "evict the
 * first key" slows down as the cache churns.)
 */
export type Policy = 'lru' | 'lfu' | 'fifo';

export interface LocalCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  has(key: string): boolean;
  readonly size: number;
}

interface Entry<V> {
  key: string;
  value: V;
  count: number;
  prev?: Entry<V>;
  next?: Entry<V>;
}

/** A doubly linked list of entries: append at the back, remove anywhere, oldest at the front. */
class List<V> {
  head?: Entry<V>;
  tail?: Entry<V>;
  size = 0;

  push(entry: Entry<V>): void {
    entry.prev = this.tail;
    entry.next = undefined;
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    this.size += 1;
  }

  remove(entry: Entry<V>): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
    this.size -= 1;
  }
}

export function createLocalCache<V>(capacity: number, policy: Policy): LocalCache<V> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError('capacity must be a positive integer');
  const entries = new Map<string, Entry<V>>();
  /** LRU and FIFO: one list. LFU: one list per use count. */
  const lists = new Map<number, List<V>>();
  let least = 1;
  const listOf = (count: number) => {
    let list = lists.get(count);
    if (!list) {
      list = new List<V>();
      lists.set(count, list);
    }
    return list;
  };
  const bucket = (entry: Entry<V>) => (policy === 'lfu' ? entry.count : 0);

  const use = (entry: Entry<V>) => {
    if (policy === 'fifo') return;
    const from = listOf(bucket(entry));
    from.remove(entry);
    if (policy === 'lfu') {
      if (from.size === 0) {
        lists.delete(entry.count);
        if (least === entry.count) least += 1;
      }
      entry.count += 1;
    }
    listOf(bucket(entry)).push(entry);
  };

  const evict = () => {
    const list = lists.get(policy === 'lfu' ? least : 0);
    const victim = list?.head;
    if (!list || !victim) return;
    list.remove(victim);
    if (list.size === 0) lists.delete(bucket(victim));
    entries.delete(victim.key);
  };

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      use(entry);
      return entry.value;
    },
    set(key, value) {
      const entry = entries.get(key);
      if (entry) {
        entry.value = value;
        use(entry);
        return;
      }
      if (entries.size >= capacity) evict();
      const fresh: Entry<V> = { key, value, count: 1 };
      entries.set(key, fresh);
      listOf(bucket(fresh)).push(fresh);
      least = 1;
    },
    has: (key) => entries.has(key),
    get size() {
      return entries.size;
    },
  };
}
