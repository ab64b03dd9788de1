/**
 * The chapter manifest: the one place that knows the chapters, their order and their limits. The test
 * runner, `npm start`, `npm run grade` and `npm run verify` read it. Each chapter's hints are data beside it,
 * in chapters/NN-name/hints.md (scripts/lib/hints.ts), outside the test lock.
 */

export interface Chapter {
  /** Two digits: what `npm test -- 01` takes. */
  id: string;
  /** Folder name under chapters/ and solutions/. */
  slug: string;
  title: string;
  /** The section of "System Design Interview", chapter 1 ("Scale from zero to millions of users"). */
  book: string;
  /** A longer per-test time limit for a chapter whose tests do real work (default 10 s). */
  testTimeoutMs?: number;
}

export const chapters: Chapter[] = [
  {
    id: '01',
    slug: '01-single-server',
    title: 'Single server: DNS, web tier, database',
    book: 'Single server setup; Database; Which databases to use?',
  },
  {
    id: '02',
    slug: '02-load-balancer',
    title: 'Load balancer: scale out the web tier',
    book: 'Vertical scaling vs horizontal scaling; Load balancer',
  },
  {
    id: '03',
    slug: '03-db-replication',
    title: 'Database replication: primary and replicas',
    book: 'Database replication',
  },
  {
    id: '04',
    slug: '04-cache-cdn',
    title: 'Cache tier and CDN',
    book: 'Cache; Content delivery network (CDN)',
  },
  {
    id: '05',
    slug: '05-stateless',
    title: 'Stateless web tier',
    book: 'Stateless web tier',
  },
  {
    id: '06',
    slug: '06-datacenter',
    title: 'Data centers: geoDNS, failover, data sync',
    book: 'Data center',
    testTimeoutMs: 20_000,
  },
  {
    id: '07',
    slug: '07-message-queue',
    title: 'Message queue and workers',
    book: 'Message queue',
    testTimeoutMs: 30_000,
  },
  {
    id: '08',
    slug: '08-observability',
    title: 'Logs, metrics and automation',
    book: 'Logging, metrics, automation',
    testTimeoutMs: 20_000,
  },
  {
    id: '09',
    slug: '09-sharding',
    title: 'Database scaling: sharding',
    book: 'Database scaling (vertical scaling, horizontal scaling: sharding)',
    testTimeoutMs: 60_000,
  },
  {
    id: '10',
    slug: '10-millions',
    title: 'Millions: the whole system under load and chaos',
    book: 'Millions of users and beyond (the chapter’s summary)',
    testTimeoutMs: 45_000,
  },
];

/** Finds a chapter by id (`01`), number (`1`) or slug (`01-single-server`). */
export function findChapter(key: string): Chapter | undefined {
  const wanted = key.trim().toLowerCase();
  return chapters.find(
    (chapter) =>
      chapter.id === wanted.padStart(2, '0') ||
      chapter.slug === wanted ||
      chapter.slug.endsWith(`-${wanted}`),
  );
}
