/**
 * The tests' own reader of the Prometheus text format, independent of any solution: it reads what a
 * `/metrics` page says, strictly, so that a page Prometheus could not read fails here too.
 */
import { expect } from 'vitest';
import type { Reply } from '#kit/http';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Page {
  /** `# TYPE` lines: family name → type. */
  types: Map<string, string>;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/** Reads a metrics page; throws an error naming the first line Prometheus could not read. */
export function readPage(text: string): Page {
  const page: Page = { types: new Map(), samples: [] };
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const type = /^#\s*TYPE\s+(\S+)\s+(counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) page.types.set(type[1] as string, type[2] as string);
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match)
      throw new Error(`line ${index + 1} is not in the Prometheus text format: ${line.slice(0, 120)}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const label = LABEL.exec(body);
      if (!label) throw new Error(`line ${index + 1} has malformed labels: ${line.slice(0, 120)}`);
      labels[label[1] as string] = (label[2] as string).replace(/\\(.)/g, (_, c: string) =>
        c === 'n' ? '\n' : c,
      );
    }
    const text = match[3] as string;
    // Prometheus reads NaN and Inf in any case; prom-client writes `Nan` for a gauge without data.
    const special: Record<string, number> = {
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      '+inf': Number.POSITIVE_INFINITY,
      '-inf': Number.NEGATIVE_INFINITY,
    };
    const value = special[text.toLowerCase()] ?? Number(text);
    if (Number.isNaN(value) && text.toLowerCase() !== 'nan')
      throw new Error(`line ${index + 1} has a value that is not a number: ${line.slice(0, 120)}`);
    page.samples.push({ name: match[1] as string, labels, value });
  }
  return page;
}

/** Reads a `/metrics` reply after checking that it is one. */
export function metricsOf(reply: Reply, what: string): Page {
  expect(reply.status, `${what}: GET /metrics should answer 200`).toBe(200);
  expect(
    String(reply.headers['content-type']),
    `${what}: /metrics is the Prometheus text format (content-type text/plain; version=0.0.4)`,
  ).toMatch(/^text\/plain/);
  try {
    return readPage(reply.text);
  } catch (error) {
    throw new Error(`${what}: ${(error as Error).message}`);
  }
}

/** The samples of a name whose labels include all of `labels`. */
export function samples(page: Page, name: string, labels: Record<string, string> = {}): Sample[] {
  return page.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The sum of those samples' values (0 when there are none). */
export function total(page: Page, name: string, labels: Record<string, string> = {}): number {
  return samples(page, name, labels).reduce((sum, s) => sum + s.value, 0);
}

/** One bucket of a histogram, cumulative as on the page: how many observations were at most `le`. */
export interface CumulativeBucket {
  le: number;
  count: number;
}

/** The buckets of a histogram on one or more pages, summed by `le` over every label set and page. */
export function summedBuckets(pages: Page[], name: string): CumulativeBucket[] {
  const byLe = new Map<number, number>();
  for (const page of pages) {
    for (const sample of samples(page, `${name}_bucket`)) {
      const text = sample.labels.le ?? '';
      const le = /^\+?inf$/i.test(text) ? Number.POSITIVE_INFINITY : Number(text);
      byLe.set(le, (byLe.get(le) ?? 0) + sample.value);
    }
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/**
 * The README's rule, which is Prometheus's histogram_quantile: rank = q × the +Inf bucket's count; the
 * first bucket whose count reaches the rank holds the answer, interpolated linearly between the bucket's
 * lower bound (the previous `le`, 0 for the first) and its `le`; in the +Inf bucket, the highest finite
 * `le`. NaN without observations.
 */
export function expectedQuantile(q: number, buckets: CumulativeBucket[]): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return lower;
      return lower + (le - lower) * ((rank - below) / (count - below));
    }
    lower = le;
    below = count;
  }
  return lower;
}
