/**
 * Task 1 — the router. A sharding key (the user id) decides which shard holds a user's rows. `hash mod N`
 * spreads keys evenly but reshuffles almost all of them when N changes; a consistent-hashing ring with
 * virtual nodes spreads them evenly too and moves only the keys the new shard takes over.
 */
import { describe, expect, it } from 'vitest';
import { createHashModRouter } from '../src/hash-mod.js';
import { createRing } from '../src/ring.js';

const KEYS = 100_000;
const keys = Array.from({ length: KEYS }, (_, i) => i + 1);

/** Standard deviation of the keys per shard (over the first `count` keys), as a fraction of the mean. */
function spread(router: { shardFor(id: number): string }, shards: string[], count = KEYS): number {
  const counts = new Map(shards.map((s) => [s, 0]));
  for (const key of keys.slice(0, count)) {
    const shard = router.shardFor(key);
    counts.set(shard, (counts.get(shard) ?? 0) + 1);
  }
  const values = [...counts.values()];
  const mean = count / shards.length;
  return Math.sqrt(values.reduce((sum, c) => sum + (c - mean) ** 2, 0) / values.length) / mean;
}

/** The fraction of keys (of the first 20,000) whose shard differs between two routers, and where they went. */
function moved(before: { shardFor(id: number): string }, after: { shardFor(id: number): string }) {
  let count = 0;
  const to = new Map<string, number>();
  const sample = keys.slice(0, 20_000);
  for (const key of sample) {
    const a = before.shardFor(key);
    const b = after.shardFor(key);
    if (a !== b) {
      count += 1;
      to.set(b, (to.get(b) ?? 0) + 1);
    }
  }
  return { fraction: count / sample.length, to: Object.fromEntries(to) };
}

const names = (n: number, prefix = 'db') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('Routing by sharding key', () => {
  it('hash-mod: deterministic, uses every shard, and moves most keys when a shard is added', () => {
    const four = createHashModRouter(names(4));
    const again = createHashModRouter(names(4));
    for (const key of [1, 2, 3, 42, 99_999]) {
      expect(four.shardFor(key), 'the same user id always maps to the same shard').toBe(again.shardFor(key));
    }
    expect(four.shards, 'a router lists its shards').toEqual(names(4));
    const used = new Set(keys.slice(0, 1000).map((k) => four.shardFor(k)));
    expect([...used].sort(), 'a thousand users reach all four shards').toEqual(names(4));
    expect(
      spread(four, names(4), 20_000),
      'hash mod N spreads 20k keys evenly over the shards: did you hash the user id?',
    ).toBeLessThan(0.05);
    const { fraction } = moved(four, createHashModRouter(names(5)));
    expect(
      fraction,
      `going from 4 to 5 shards, hash mod N moves about N/(N+1) = 80% of the keys; yours moved ${percent(fraction)} — this is the problem consistent hashing solves`,
    ).toBeGreaterThan(0.6);
  });

  it('ring: with virtual nodes the keys spread evenly (the book: σ about 10% of the mean at 100, 5% at 200)', () => {
    // Fifty shards, so that the figure is an average over many shards and stable for any well-mixing hash
    // (over four or five shards it swings a lot with the shard names).
    const shards = names(50);
    const at100 = spread(createRing(shards, { virtualNodes: 100 }), shards);
    const at200 = spread(createRing(shards, { virtualNodes: 200 }), shards);
    const report = `measured on 100k keys over 50 shards, σ/mean: ${percent(at100)} at 100 virtual nodes, ${percent(at200)} at 200`;
    expect(
      at100,
      `${report}. With 100 virtual nodes per shard the standard deviation of keys per shard should be about 10% of the mean (below 14%): give every shard virtualNodes points on the ring, and use a hash that mixes well (md5 or sha1 from node:crypto; plain FNV-1a clusters similar names like "db1#0", "db1#1")`,
    ).toBeLessThan(0.14);
    expect(at200, `${report}. With 200 virtual nodes it should be about 5–7% (below 10%)`).toBeLessThan(0.1);
  });

  it('ring: adding a shard moves about 1/(N+1) of the keys, all of them to the new shard', () => {
    const virtualNodes = 100;
    const before = createRing(names(4), { virtualNodes });
    const after = createRing(names(5), { virtualNodes });
    const { fraction, to } = moved(before, after);
    expect(
      fraction,
      `${virtualNodes} virtual nodes, 4 → 5 shards: a ring moves about 1/(N+1) = 20% of the keys; yours moved ${percent(fraction)}${fraction > 0.5 ? ' — that is hash-mod behaviour, not a ring' : ''}`,
    ).toBeGreaterThan(0.12);
    expect(fraction, `moved ${percent(fraction)}: a ring moves about 20% of the keys, not more`).toBeLessThan(
      0.3,
    );
    expect(
      Object.keys(to),
      `keys may only move to the new shard db5, which takes over arcs of the ring; yours moved keys to ${JSON.stringify(to)}`,
    ).toEqual(['db5']);
  });

  it('ring: removing a shard moves only the keys it held; the owner does not depend on the order of the list', () => {
    const five = createRing(names(5), { virtualNodes: 100 });
    const four = createRing(['db1', 'db2', 'db4', 'db5'], { virtualNodes: 100 });
    let strays = 0;
    for (const key of keys.slice(0, 20_000)) {
      const was = five.shardFor(key);
      if (was !== 'db3' && four.shardFor(key) !== was) strays += 1;
    }
    expect(strays, 'when db3 leaves, only the keys db3 held get a new shard; every other key stays').toBe(0);
    const reversed = createRing([...names(5)].reverse(), { virtualNodes: 100 });
    const differ = keys.slice(0, 20_000).filter((k) => reversed.shardFor(k) !== five.shardFor(k)).length;
    expect(
      differ,
      'the same shard names in another order must give the same owners: place points by hashing the shard name, not its index in the list',
    ).toBe(0);
  });

  it('rejects bad input with a clear error', () => {
    const ring = createRing(names(3), { virtualNodes: 10 });
    const router = createHashModRouter(names(3));
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 40]) {
      expect(() => ring.shardFor(bad), `ring.shardFor(${bad}): a user id is a positive integer`).toThrow(
        /user ?id/i,
      );
      expect(
        () => router.shardFor(bad),
        `hash-mod shardFor(${bad}): a user id is a positive integer`,
      ).toThrow(/user ?id/i);
    }
    expect(() => createRing([], { virtualNodes: 10 }), 'a ring without shards cannot route').toThrow(
      /shard/i,
    );
    expect(() => createHashModRouter([]), 'hash-mod without shards cannot route').toThrow(/shard/i);
    expect(
      () => createRing(['db1', 'db1'], { virtualNodes: 10 }),
      'the same shard listed twice is a mistake: say so',
    ).toThrow(/twice|duplicate|unique/i);
    expect(
      () => createRing(names(3), { virtualNodes: 0 }),
      'a ring needs at least one point per shard',
    ).toThrow(/virtual/i);
  });
});
