/**
 * Chapter 09 benchmark (not a test): how evenly a ring spreads 100k keys, by number of virtual nodes, and how
 * many keys move when a shard is added, hash-mod against the ring. Pure computation, on your code or the
 * reference (`--solutions`).
 */
import type { createHashModRouter as CreateHashMod } from '../../chapters/09-sharding/src/hash-mod.js';
import type { createRing as CreateRing } from '../../chapters/09-sharding/src/ring.js';

interface Router {
  shardFor(userId: number): string;
}

const KEYS = 100_000;

export async function bench(target: 'chapters' | 'solutions', _seconds: number): Promise<void> {
  const { createRing } = (await import(`../../${target}/09-sharding/src/ring.js`)) as {
    createRing: typeof CreateRing;
  };
  const { createHashModRouter } = (await import(`../../${target}/09-sharding/src/hash-mod.js`)) as {
    createHashModRouter: typeof CreateHashMod;
  };
  const names = (n: number) => Array.from({ length: n }, (_, i) => `db${i + 1}`);
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);

  console.log(`\nspread: standard deviation of keys per shard, as a share of the mean (${KEYS} keys)`);
  console.log(`${'virtual nodes'.padEnd(14)} ${'10 shards'.padStart(9)} ${'50 shards'.padStart(9)}  1/√v`);
  for (const virtualNodes of [1, 10, 50, 100, 200, 500]) {
    const row = [10, 50].map((n) => percent(spread(createRing(names(n), { virtualNodes }), names(n))));
    console.log(
      `${String(virtualNodes).padEnd(14)} ${row.map((r) => r.padStart(9)).join(' ')} ${percent(1 / Math.sqrt(virtualNodes))}`,
    );
  }
  console.log(`hash-mod       ${percent(spread(createHashModRouter(names(10)), names(10))).padStart(9)}`);

  console.log(`\nkeys moved when one shard is added (${KEYS} keys; the ring with 100 virtual nodes)`);
  console.log(
    `${'shards'.padEnd(8)} ${'hash-mod'.padStart(9)} ${'N/(N+1)'.padStart(9)} ${'ring'.padStart(9)} ${'1/(N+1)'.padStart(9)}`,
  );
  for (const n of [2, 3, 4, 5, 8, 10]) {
    const hashMod = moved(createHashModRouter(names(n)), createHashModRouter(names(n + 1)));
    const ring = moved(
      createRing(names(n), { virtualNodes: 100 }),
      createRing(names(n + 1), { virtualNodes: 100 }),
    );
    console.log(
      `${`${n} → ${n + 1}`.padEnd(8)} ${percent(hashMod).padStart(9)} ${percent(n / (n + 1)).padStart(9)} ${percent(ring).padStart(9)} ${percent(1 / (n + 1)).padStart(9)}`,
    );
  }
}

function spread(router: Router, shards: string[]): number {
  const counts = new Map(shards.map((s) => [s, 0]));
  for (let key = 1; key <= KEYS; key++) {
    const shard = router.shardFor(key);
    counts.set(shard, (counts.get(shard) ?? 0) + 1);
  }
  const mean = KEYS / shards.length;
  const values = [...counts.values()];
  return Math.sqrt(values.reduce((sum, c) => sum + (c - mean) ** 2, 0) / values.length) / mean;
}

function moved(before: Router, after: Router): number {
  let count = 0;
  for (let key = 1; key <= KEYS; key++) if (before.shardFor(key) !== after.shardFor(key)) count += 1;
  return count / KEYS;
}
