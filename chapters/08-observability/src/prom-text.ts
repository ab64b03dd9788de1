/**
 * The Prometheus text format, read and written: what every `/metrics` page speaks. README: task 3.
 * prom-client writes it but does not read it, and an aggregator must read it to combine several servers.
 *   # HELP name text
 *   # TYPE name counter|gauge|histogram|summary|untyped
 *   name{label="value",…} 42
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name: a histogram `h` has samples `h_bucket`, `h_sum` and `h_count`. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

/** One bucket of a histogram: how many observations were at most `le` (cumulative, as on the page). */
export interface Bucket {
  le: number;
  count: number;
}

/** Parses a metrics page into families; throws an Error naming the line when the text is malformed. */
export function parseMetrics(text: string): MetricFamily[] {
  throw new Error(`TODO (README, task 3): parse a metrics page of ${text.length} characters`);
}

/** Writes families back as a metrics page. */
export function formatMetrics(families: MetricFamily[]): string {
  throw new Error(`TODO (README, task 3): write ${families.length} metric families`);
}

/**
 * The q-quantile (0 < q < 1) estimated from cumulative buckets, as Prometheus's histogram_quantile does:
 * find the bucket where the rank q·count falls and interpolate linearly inside it.
 */
export function histogramQuantile(q: number, buckets: Bucket[]): number {
  throw new Error(`TODO (README, task 3): the ${q}-quantile of ${buckets.length} buckets`);
}

/** The cumulative buckets of one histogram family, summed over all its label sets. */
export function bucketsOf(family: MetricFamily | undefined): Bucket[] {
  throw new Error(`TODO (README, task 3): the buckets of ${family?.name}`);
}
