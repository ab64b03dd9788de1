/**
 * The Prometheus text format, read and written: what every `/metrics` page speaks. prom-client writes it but
 * does not read it, and an aggregator must read it to combine several servers.
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

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

/** Parses a metrics page into families; throws an Error naming the line when the text is malformed. */
export function parseMetrics(text: string): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  const family = (name: string): MetricFamily => {
    let found = families.get(name);
    if (!found) {
      found = { name, type: 'untyped', help: '', samples: [] };
      families.set(name, found);
    }
    return found;
  };
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const meta = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line);
      if (!meta) return; // an ordinary comment
      const [, kind, name = '', rest = ''] = meta;
      if (kind === 'TYPE') {
        if (!TYPES.has(rest as MetricType)) throw new Error(`line ${index + 1}: unknown type "${rest}"`);
        family(name).type = rest as MetricType;
      } else {
        family(name).help = rest;
      }
      return;
    }
    const sample = parseSample(line, index + 1);
    family(familyOf(sample.name, families)).samples.push(sample);
  });
  return [...families.values()].filter((f) => f.samples.length > 0);
}

/** The family a sample belongs to: `h_bucket` belongs to the histogram `h` when `h` was declared. */
function familyOf(sampleName: string, families: Map<string, MetricFamily>): string {
  if (families.has(sampleName)) return sampleName;
  for (const suffix of SUFFIXES) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      if (families.has(base)) return base;
    }
  }
  return sampleName;
}

function parseSample(line: string, lineNumber: number): Sample {
  const fail = (why: string): never => {
    throw new Error(`line ${lineNumber}: ${why}: ${JSON.stringify(line.slice(0, 120))}`);
  };
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? fail('no metric name');
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at += 1;
    for (;;) {
      while (line[at] === ' ' || line[at] === ',') at += 1;
      if (line[at] === '}') {
        at += 1;
        break;
      }
      const label = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(at))?.[0] ?? fail('bad label name');
      at += label.length;
      if (line[at] !== '=' || line[at + 1] !== '"') fail('a label needs ="value"');
      at += 2;
      let value = '';
      for (;;) {
        const c = line[at];
        if (c === undefined) fail('unterminated label value');
        at += 1;
        if (c === '"') break;
        if (c === '\\') {
          const next = line[at];
          at += 1;
          value += next === 'n' ? '\n' : (next ?? '');
        } else value += c;
      }
      labels[label] = value;
    }
  }
  const [valueText, timestamp] = line.slice(at).trim().split(/\s+/);
  const value = parseValue(valueText ?? '');
  if (Number.isNaN(value) && valueText?.toLowerCase() !== 'nan') fail('the value is not a number');
  if (timestamp !== undefined && !/^-?\d+$/.test(timestamp)) fail('bad timestamp');
  return { name, labels, value };
}

/** A sample value as Prometheus reads it: a float, `NaN` or `±Inf` in any case (prom-client writes `Nan`). */
function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number.NaN;
  return Number(text);
}

/** Writes families back as a metrics page. */
export function formatMetrics(families: MetricFamily[]): string {
  const out: string[] = [];
  for (const family of families) {
    if (family.help) out.push(`# HELP ${family.name} ${family.help}`);
    out.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
        .join(',');
      out.push(`${sample.name}${labels ? `{${labels}}` : ''} ${formatValue(sample.value)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * The q-quantile (0 < q < 1) estimated from cumulative buckets, as Prometheus's histogram_quantile does:
 * find the bucket where the rank q·count falls and interpolate linearly inside it. A rank in the +Inf
 * bucket answers the highest finite bound. NaN when there are no observations.
 */
export function histogramQuantile(q: number, buckets: Bucket[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const last = sorted.at(-1);
  if (!last || last.count === 0 || last.le !== Number.POSITIVE_INFINITY) return Number.NaN;
  const rank = q * last.count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (bucket.le === Number.POSITIVE_INFINITY) return lowerBound;
      const inBucket = bucket.count - lowerCount;
      if (inBucket === 0) return bucket.le;
      return lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}

/** The cumulative buckets of one histogram family, summed over all its label sets. */
export function bucketsOf(family: MetricFamily | undefined): Bucket[] {
  const byLe = new Map<number, number>();
  for (const sample of family?.samples ?? []) {
    if (!sample.name.endsWith('_bucket') || sample.labels.le === undefined) continue;
    const le = parseValue(sample.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + sample.value);
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}
