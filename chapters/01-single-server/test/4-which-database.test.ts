/**
 * Task 4 — which database? The book's rule of thumb: relational databases are the default; a NoSQL store
 * may be the better fit when the application needs very low latency, the data is unstructured, the
 * application only (de)serialises data, or the volume is massive. NoSQL stores generally have no joins.
 */
import { describe, expect, it } from 'vitest';
import {
  chooseDatabase,
  type DatabaseKind,
  MASSIVE_VOLUME_TB,
  VERY_LOW_LATENCY_MS,
  type Workload,
} from '../src/which-database.js';

const base = {
  needsJoins: false,
  latencyBudgetMs: 200,
  unstructured: false,
  onlySerialises: false,
  volumeTB: 1,
};

const scenarios: { workload: Workload; expected: DatabaseKind; why: string }[] = [
  {
    workload: {
      ...base,
      summary: 'the photo service: users, photos, follows; pages join them',
      needsJoins: true,
    },
    expected: 'relational',
    why: 'related entities and joins are what tables and SQL are for',
  },
  {
    workload: { ...base, summary: 'an internal admin tool with a few structured tables and no joins' },
    expected: 'relational',
    why: 'no NoSQL reason applies, so keep the proven default',
  },
  {
    workload: { ...base, summary: 'an ad-bidding lookup that must answer within 1 ms', latencyBudgetMs: 1 },
    expected: 'nosql',
    why: 'very low latency is one of the book’s reasons for NoSQL',
  },
  {
    workload: {
      ...base,
      summary: 'sensor payloads whose fields differ device by device',
      unstructured: true,
    },
    expected: 'nosql',
    why: 'unstructured data has no table to fit into',
  },
  {
    workload: {
      ...base,
      summary: 'shopping carts saved and loaded whole as JSON by cart id',
      onlySerialises: true,
    },
    expected: 'nosql',
    why: 'an application that only serialises and deserialises values needs a key-value store',
  },
  {
    workload: { ...base, summary: 'a click-stream archive of 800 TB', volumeTB: 800 },
    expected: 'nosql',
    why: 'a massive amount of data is one of the book’s reasons',
  },
  {
    workload: {
      ...base,
      summary: 'a 300 TB billing ledger whose reports join accounts and invoices',
      volumeTB: 300,
      needsJoins: true,
    },
    expected: 'relational',
    why: 'the reports need joins, which NoSQL stores generally lack; chapter 09 scales it by sharding',
  },
];

describe('Which database to use', () => {
  for (const { workload, expected, why } of scenarios) {
    it(`${workload.summary} → ${expected}`, () => {
      expect(chooseDatabase(workload).kind, `"${workload.summary}" should be ${expected}: ${why}`).toBe(
        expected,
      );
    });
  }
});

describe('Which database: the thresholds, at their boundaries', () => {
  const boundaries: { workload: Workload; expected: DatabaseKind; why: string }[] = [
    {
      workload: {
        ...base,
        summary: `a budget of exactly VERY_LOW_LATENCY_MS`,
        latencyBudgetMs: VERY_LOW_LATENCY_MS,
      },
      expected: 'relational',
      why: `latency counts as very low only BELOW VERY_LOW_LATENCY_MS (${VERY_LOW_LATENCY_MS} ms); a budget of exactly that is not`,
    },
    {
      workload: {
        ...base,
        summary: 'a budget just below VERY_LOW_LATENCY_MS',
        latencyBudgetMs: VERY_LOW_LATENCY_MS - 1,
      },
      expected: 'nosql',
      why: `a budget of ${VERY_LOW_LATENCY_MS - 1} ms is below VERY_LOW_LATENCY_MS (${VERY_LOW_LATENCY_MS} ms): very low latency`,
    },
    {
      workload: { ...base, summary: 'exactly MASSIVE_VOLUME_TB of data', volumeTB: MASSIVE_VOLUME_TB },
      expected: 'nosql',
      why: `a volume is massive FROM MASSIVE_VOLUME_TB (${MASSIVE_VOLUME_TB} TB) on: "at least", so exactly that counts`,
    },
    {
      workload: { ...base, summary: 'just under MASSIVE_VOLUME_TB of data', volumeTB: MASSIVE_VOLUME_TB - 1 },
      expected: 'relational',
      why: `${MASSIVE_VOLUME_TB - 1} TB is below MASSIVE_VOLUME_TB (${MASSIVE_VOLUME_TB} TB): not massive, and no other reason applies`,
    },
  ];
  for (const { workload, expected, why } of boundaries) {
    it(`${workload.summary} → ${expected}`, () => {
      expect(chooseDatabase(workload).kind, `"${workload.summary}" should be ${expected}: ${why}`).toBe(
        expected,
      );
    });
  }
});
