/**
 * Task 4 — beyond one machine, on paper. From what one machine of each tier held in the bench and a
 * workload, the fleet: the book's back-of-the-envelope estimate, by the README's rules.
 */
import { describe, expect, it } from 'vitest';
import { type Measured, planFleet, type Workload } from '../src/capacity.js';

/** What `npm run bench -- 10` might measure here. */
const measured: Measured = {
  webServerRps: 1000,
  cacheOpsPerSecond: 20_000,
  shardWritesPerSecond: 500,
  workerJobsPerSecond: 20,
};

/** 10 M daily users, the book's running example: 50 requests and 0.2 uploads each a day, 5 years kept. */
const tenMillion: Workload = {
  dailyActiveUsers: 10_000_000,
  requestsPerUserPerDay: 50,
  uploadsPerUserPerDay: 0.2,
  bytesPerPhoto: 500,
  years: 5,
  bytesPerShard: 1e12,
  dataCenters: 2,
};

describe('Capacity planning: the fleet for a workload, from measured figures', () => {
  it('estimates traffic the book’s way: average QPS over a day’s 86,400 s, peak at twice the average', () => {
    const plan = planFleet(measured, tenMillion);
    expect(plan.averageQps, 'average QPS = daily users × requests per user per day ÷ 86,400').toBeCloseTo(
      (10_000_000 * 50) / 86_400,
      6,
    );
    expect(plan.peakQps, 'peak QPS = 2 × average QPS').toBeCloseTo((2 * 10_000_000 * 50) / 86_400, 6);
    expect(
      plan.peakUploadsPerSecond,
      'peak uploads per second = 2 × daily users × uploads per user ÷ 86,400',
    ).toBeCloseTo((2 * 10_000_000 * 0.2) / 86_400, 6);
    expect(
      plan.storageBytes,
      'storage = daily users × uploads per user × 365 × years × bytes per photo',
    ).toBe(10_000_000 * 0.2 * 365 * 5 * 500);
  });

  it('sizes every tier with 30% headroom and one spare machine, and each data center for the whole peak', () => {
    const plan = planFleet(measured, tenMillion);
    // peak 11,574.07 QPS; a web server planned at 70% of 1,000 → 700/s → 17 servers, + 1 spare.
    expect(
      plan.webServersPerDataCenter,
      'web servers per data center = ⌈peak QPS ÷ (70% of one server’s measured rps)⌉ + 1: each data center must carry the whole peak when the other fails',
    ).toBe(18);
    expect(
      plan.cacheNodesPerDataCenter,
      'cache nodes per data center = ⌈peak QPS ÷ (70% of one node’s ops/s)⌉ + 1',
    ).toBe(2);
    expect(
      plan.cacheBytesPerDataCenter,
      'cache memory per data center = 20% of the stored data (the hot 20%)',
    ).toBe(Math.ceil(0.2 * 10_000_000 * 0.2 * 365 * 5 * 500));
    // 1.825e12 bytes over 1e12 per shard → 2 shards; writes 46.3/s over 350/s → 1 shard.
    expect(
      plan.shards,
      'shards = the larger of ⌈storage ÷ bytes per shard⌉ and ⌈peak uploads ÷ (70% of one shard’s writes/s)⌉',
    ).toBe(2);
    expect(
      plan.databaseNodes,
      'database nodes = shards × 3 (a primary and two replicas) × data centers',
    ).toBe(12);
    // 46.3 uploads/s over 70% of 20 jobs/s = 14/s → 4 workers, + 1 spare.
    expect(plan.workers, 'workers = ⌈peak uploads ÷ (70% of one worker’s jobs/s)⌉ + 1').toBe(5);
    expect(plan.dataCenters, 'data centers as the workload asks').toBe(2);
  });

  it('grows with the load: ten times the users needs about ten times the web servers, and more shards when the writes outgrow them', () => {
    const one = planFleet(measured, { ...tenMillion, dailyActiveUsers: 1_000_000 });
    const ten = planFleet(measured, tenMillion);
    expect(one.webServersPerDataCenter, '1 M daily users: ⌈1,157.4 ÷ 700⌉ + 1').toBe(3);
    expect(ten.webServersPerDataCenter / one.webServersPerDataCenter, 'ten times the users').toBeGreaterThan(
      5,
    );
    const writeHeavy = planFleet(
      { ...measured, shardWritesPerSecond: 10 },
      { ...tenMillion, bytesPerShard: 1e15 },
    );
    expect(
      writeHeavy.shards,
      'with room for all the data on one shard, the writes decide: ⌈46.3 ÷ 7⌉ = 7 shards',
    ).toBe(7);
    const tiny = planFleet(measured, { ...tenMillion, dailyActiveUsers: 100, bytesPerShard: 1e15 });
    expect(tiny.shards, 'never fewer than one shard').toBe(1);
    expect(tiny.webServersPerDataCenter, 'never fewer than two web servers: one and its spare').toBe(2);
  });

  it('refuses figures it cannot plan from, naming the figure', () => {
    for (const [field, value] of [
      ['webServerRps', 0],
      ['workerJobsPerSecond', -1],
      ['shardWritesPerSecond', Number.NaN],
    ] as const)
      expect(() => planFleet({ ...measured, [field]: value }, tenMillion), `${field} = ${value}`).toThrow(
        new RegExp(field),
      );
    for (const [field, value] of [
      ['dailyActiveUsers', 0],
      ['bytesPerShard', -5],
      ['years', Number.POSITIVE_INFINITY],
    ] as const)
      expect(() => planFleet(measured, { ...tenMillion, [field]: value }), `${field} = ${value}`).toThrow(
        new RegExp(field),
      );
    expect(
      () => planFleet(measured, { ...tenMillion, dataCenters: 1 }),
      'one data center cannot survive losing it: at least 2',
    ).toThrow(/dataCenters/);
  });
});
