/**
 * The run's report: a self-contained HTML page (inline SVG, no script, no network) and a markdown summary,
 * written to .kata/reports/10-millions/ (or $KATA_REPORT_DIR). The page carries its data as JSON too.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemStatus, Topology } from '../src/system.js';
import type { Planned } from './chaos.js';
import { type Fault, type Figures, latencyBound, type Op, SLO, type Violation } from './history.js';

export interface Sample {
  t: number;
  status: SystemStatus;
}

export interface RunReport {
  seed: number;
  replay: string;
  topology: Topology;
  schedule: Planned[];
  faults: Fault[];
  figures: Figures;
  violations: Violation[];
  series: Series;
  /** The fleet for 1 M and 10 M daily users, when `npm run bench -- 10` has written it. */
  fleet?: unknown;
}

export interface Bucket {
  t: number;
  throughput: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface Series {
  bucketMs: number;
  requests: Bucket[];
  cacheHitRatio: { t: number; v: number }[];
  replicationLag: { t: number; v: number }[];
  queueDepth: { t: number; v: number }[];
}

export const REPORT_DIR =
  process.env.KATA_REPORT_DIR ?? join(process.cwd(), '.kata', 'reports', '10-millions');

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number) : 0;
};

export function seriesOf(ops: Op[], samples: Sample[], bucketMs = 500): Series {
  const end = Math.max(0, ...ops.map((o) => o.completedAt));
  const requests: Bucket[] = [];
  for (let t = 0; t <= end; t += bucketMs) {
    const inside = ops.filter((o) => o.completedAt >= t && o.completedAt < t + bucketMs);
    const latencies = inside.map((o) => o.completedAt - o.invokedAt);
    requests.push({
      t,
      throughput: inside.length / (bucketMs / 1000),
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      errors: inside.filter((o) => o.status === null || o.status >= 500).length,
    });
  }
  const cacheHitRatio = samples.slice(1).map((s, i) => {
    const before = (samples[i] as Sample).status.cache;
    const reads = s.status.cache.hits + s.status.cache.misses - before.hits - before.misses;
    return { t: s.t, v: reads ? (s.status.cache.hits - before.hits) / reads : 0 };
  });
  const replicationLag = samples.map((s) => ({
    t: s.t,
    v: Math.max(
      0,
      ...Object.values(s.status.replication).map((nodes) => {
        const at = Object.values(nodes).filter((p): p is number => p !== null);
        return at.length ? Math.max(...at) - Math.min(...at) : 0;
      }),
    ),
  }));
  const queueDepth = samples.map((s) => ({
    t: s.t,
    v: s.status.queue.ready + s.status.queue.delayed + s.status.queue.processing,
  }));
  return { bucketMs, requests, cacheHitRatio, replicationLag, queueDepth };
}

const esc = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** One line chart as inline SVG, with the fault windows shaded. */
function chart(
  title: string,
  unit: string,
  points: { t: number; v: number }[],
  faults: Fault[],
  endMs: number,
): string {
  const w = 640;
  const h = 160;
  const max = Math.max(1, ...points.map((p) => p.v));
  const x = (t: number) => ((t / Math.max(1, endMs)) * w).toFixed(1);
  const y = (v: number) => (h - (v / max) * (h - 10)).toFixed(1);
  const windows = faults
    .map(
      (f) =>
        `<rect class="window" x="${x(f.at)}" y="0" width="${Math.max(2, Number(x(f.endAt + SLO.windowMs)) - Number(x(f.at)))}" height="${h}"><title>${esc(f.kind)} ${esc(f.target)}</title></rect>`,
    )
    .join('');
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t)},${y(p.v)}`).join(' ');
  return `<figure><figcaption>${esc(title)} (top of the plot: ${max.toFixed(max < 10 ? 2 : 0)} ${esc(unit)}; ${(endMs / 1000).toFixed(1)} s of run from left to right; shaded: failover windows)</figcaption><svg class="plot" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">${windows}<path class="line" d="${path}"/></svg></figure>`;
}

/** The fleet `npm run bench -- 10` saved: one column per workload, one row per figure. */
function fleetTable(fleet: unknown): string {
  const plans = (fleet as { plans?: Record<string, Record<string, number>> } | undefined)?.plans;
  if (!plans) return '';
  const names = Object.keys(plans);
  const figures = Object.keys(plans[names[0] as string] ?? {});
  const cell = (v: number | undefined) =>
    v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toFixed(1);
  const rows = figures
    .map((f) => `<tr><td>${esc(f)}</td>${names.map((n) => `<td>${cell(plans[n]?.[f])}</td>`).join('')}</tr>`)
    .join('');
  return `<h2>Fleet estimate (npm run bench -- 10)</h2><table id="fleet"><tr><th></th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr>${rows}</table>`;
}

export function renderHtml(report: RunReport): string {
  const end = Math.max(1, ...report.series.requests.map((b) => b.t + report.series.bucketMs));
  const r = report.series.requests;
  const verdict =
    report.violations.length === 0 ? 'SLO met' : `SLO missed: ${report.violations.length} violation(s)`;
  const rows = report.faults
    .map(
      (f) =>
        `<tr><td>${(f.at / 1000).toFixed(2)} s</td><td>${(f.endAt / 1000).toFixed(2)} s</td><td>${esc(f.kind)}</td><td>${esc(f.target)}</td><td>${esc(f.note ?? '')}</td></tr>`,
    )
    .join('');
  const topology = report.topology.dataCenters
    .map(
      (dc) =>
        `<li>${esc(dc.id)} (${esc(dc.address)}): ${dc.webServers.map((w) => esc(w.id)).join(', ')}</li>`,
    )
    .join('');
  const shards = report.topology.shards
    .map((s) => `<li>${esc(s.name)}: ${s.nodes.map(esc).join(', ')}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chapter 10 run, seed ${report.seed}: ${esc(verdict)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}.plot{border:1px solid #ccc;background:#fff}
.line{fill:none;stroke:#1f6feb;stroke-width:2}.window{fill:#f85149;opacity:.15}.ok{color:#1a7f37}.bad{color:#cf222e}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}</style></head>
<body><h1>Chapter 10 · seed ${report.seed}</h1>
<p id="verdict" class="${report.violations.length ? 'bad' : 'ok'}">${esc(verdict)}</p>
<p>Replay: <code>${esc(report.replay)}</code></p>
<h2>Topology</h2><p>geoDNS ${esc(report.topology.dns.name)}; workers ${report.topology.workers.map(esc).join(', ')}</p>
<ul>${topology}</ul><ul>${shards}</ul>
<h2>Faults</h2><table><tr><th>at</th><th>over</th><th>fault</th><th>target</th><th></th></tr>${rows}</table>
<h2>Requests</h2>
<p>${report.figures.requests} requests; outside the failover windows: availability ${(report.figures.availability * 100).toFixed(2)}% (SLO ${SLO.availability * 100}%), p50 ${Math.round(report.figures.p50Ms)} ms, p99 ${Math.round(report.figures.p99Ms)} ms (SLO ${Math.round(latencyBound(report.figures))} ms); ${report.figures.uploadsAcknowledged} uploads acknowledged.</p>
${chart(
  'Throughput',
  'requests/s',
  r.map((b) => ({ t: b.t, v: b.throughput })),
  report.faults,
  end,
)}
${chart(
  'p50 latency',
  'ms',
  r.map((b) => ({ t: b.t, v: b.p50 })),
  report.faults,
  end,
)}
${chart(
  'p99 latency',
  'ms',
  r.map((b) => ({ t: b.t, v: b.p99 })),
  report.faults,
  end,
)}
${chart(
  'Errors',
  'per bucket',
  r.map((b) => ({ t: b.t, v: b.errors })),
  report.faults,
  end,
)}
<h2>Tiers</h2>
${chart('Cache hit ratio', '', report.series.cacheHitRatio, report.faults, end)}
${chart('Replication lag', 'log entries', report.series.replicationLag, report.faults, end)}
${chart('Queue depth', 'jobs', report.series.queueDepth, report.faults, end)}
<h2>Violations</h2><ul id="violations">${report.violations.map((v) => `<li><b>${esc(v.rule)}</b>: ${esc(v.message)}</li>`).join('') || '<li>none</li>'}</ul>
${fleetTable(report.fleet)}
<script type="application/json" id="run-data">${JSON.stringify(report).replace(/</g, '\\u003c')}</script>
</body></html>
`;
}

export function renderMarkdown(report: RunReport): string {
  const f = report.figures;
  return [
    `# Chapter 10 run, seed ${report.seed}: ${report.violations.length ? 'SLO missed' : 'SLO met'}`,
    '',
    `Replay: \`${report.replay}\``,
    '',
    `| requests | availability outside windows | p50 | p99 | uploads acknowledged |`,
    '|---|---|---|---|---|',
    `| ${f.requests} | ${(f.availability * 100).toFixed(2)}% | ${Math.round(f.p50Ms)} ms | ${Math.round(f.p99Ms)} ms | ${f.uploadsAcknowledged} |`,
    '',
    '## Faults',
    '',
    ...report.faults.map(
      (x) => `- ${(x.at / 1000).toFixed(2)} s: ${x.kind} ${x.target}${x.note ? ` (${x.note})` : ''}`,
    ),
    '',
    '## Violations',
    '',
    ...(report.violations.length ? report.violations.map((v) => `- **${v.rule}**: ${v.message}`) : ['none']),
    '',
  ].join('\n');
}

/** Writes the page and the summary; returns the page's path. */
export function writeReport(report: RunReport): string {
  mkdirSync(REPORT_DIR, { recursive: true });
  const fleetFile = join(REPORT_DIR, 'fleet.json');
  if (existsSync(fleetFile)) report.fleet = JSON.parse(readFileSync(fleetFile, 'utf8'));
  const page = join(REPORT_DIR, `seed-${report.seed}.html`);
  writeFileSync(page, renderHtml(report));
  writeFileSync(join(REPORT_DIR, `seed-${report.seed}.md`), renderMarkdown(report));
  return page;
}
