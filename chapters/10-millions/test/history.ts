/**
 * The history of a run: every client operation (invoked, completed, what it saw) and every fault, and the
 * checker that judges it. A violation is told as the few events that show it, in the book's words.
 */

export type OpKind = 'login' | 'upload' | 'own' | 'browse' | 'me' | 'album';

export interface Op {
  user: number;
  kind: OpKind;
  /** The user whose photos or album were read. */
  target?: number;
  /** Milliseconds since the run started. */
  invokedAt: number;
  completedAt: number;
  /** The HTTP status; null when no answer came. */
  status: number | null;
  dataCenter?: string;
  /** An upload's photo, when it was acknowledged: `<id> "<title>"` (titles are unique in a run). */
  photo?: string;
  /** The photos a list read returned, the same way. */
  photos?: string[];
  error?: string;
}

export type FaultKind = 'kill-web' | 'stop-primary' | 'lose-cache' | 'dc-down' | 'kill-worker';

export interface Fault {
  kind: FaultKind;
  /** What it hit: a web server, a node, a data center, a worker, the cache. */
  target: string;
  at: number;
  /** When it was over (the node started again, the data center came back); `at` for a kill. */
  endAt: number;
  note?: string;
}

/** What the README promises outside the failover windows, and the windows. */
export const SLO = {
  /** A failover window runs from a fault until this long after the fault is over. */
  windowMs: 1000,
  /** Share of requests outside the windows that get an answer below 500. */
  availability: 0.99,
  /** The 99th percentile of latency outside the windows, on an idle laptop… */
  p99Ms: 1500,
  /** …and on a machine so busy that the median is slow, at most this many medians. */
  p99Medians: 10,
  /** How stale another user's view of a list may be. */
  othersLagMs: 3000,
} as const;

/** A photo as the history keeps it: its id and its title, so that an id given twice is told apart. */
export const photoKey = (p: { id: string; title: string }) => `${p.id} "${p.title}"`;
export const idOf = (key: string) => key.slice(0, key.indexOf(' "'));

export interface Final {
  /** Each user's own list read after the run, healed and drained (photo keys). */
  own: Map<number, string[]>;
  /** Each user's album after the queue drained (photo ids). */
  albums: Map<number, string[]>;
  /** When the final reads were made. */
  at: number;
}

export interface Violation {
  rule: string;
  message: string;
}

export interface Figures {
  requests: number;
  outsideWindows: number;
  failedOutside: number;
  availability: number;
  p50Ms: number;
  p99Ms: number;
  uploadsAcknowledged: number;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const what = (op: Op) =>
  ({
    login: 'POST /login',
    upload: 'POST /photos',
    own: `GET /users/${op.user}/photos`,
    browse: `GET /users/${op.target}/photos`,
    me: 'GET /me',
    album: `GET /users/${op.target}/album`,
  })[op.kind];
const faultText = (f: Fault) =>
  ({
    'kill-web': `web server ${f.target} was killed`,
    'stop-primary': `the primary of ${f.target} stopped`,
    'lose-cache': 'the cache was lost',
    'dc-down': `data center ${f.target} went down`,
    'kill-worker': `worker ${f.target} was killed`,
  })[f.kind];

/** The last fault that began at or before `t`, if any, told in words. */
function faultBefore(faults: Fault[], t: number): string {
  const f = faults.filter((x) => x.at <= t).at(-1);
  return f ? `, after ${faultText(f)} at ${s(f.at)}` : '';
}

/** True when the operation overlaps a failover window: it was in flight during a fault or just after. */
export function inWindow(faults: Fault[], op: Pick<Op, 'invokedAt' | 'completedAt'>): boolean {
  return faults.some((f) => op.completedAt >= f.at && op.invokedAt <= f.endAt + SLO.windowMs);
}

function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

/** The p99 the run is held to: the SLO, or a multiple of the run's own median when the machine is that slow. */
export function latencyBound(figures: Pick<Figures, 'p50Ms'>): number {
  return Math.max(SLO.p99Ms, SLO.p99Medians * figures.p50Ms);
}

export function checkHistory(
  ops: Op[],
  faults: Fault[],
  final: Final,
): { violations: Violation[]; figures: Figures } {
  const acked = ops.filter((o) => o.kind === 'upload' && o.status === 201 && o.photo);
  const violations = [
    ...lostWrites(acked, faults, final),
    ...ownReads(ops, acked),
    ...othersReads(ops, acked, faults),
    ...loggedOut(ops, faults),
    ...processedOnce(acked, final),
  ];
  const outside = ops.filter((o) => o.kind !== 'login' && !inWindow(faults, o));
  const failed = outside.filter((o) => o.status === null || o.status >= 500);
  const latencies = outside.filter((o) => o.status !== null).map((o) => o.completedAt - o.invokedAt);
  const figures: Figures = {
    requests: ops.length,
    outsideWindows: outside.length,
    failedOutside: failed.length,
    availability: outside.length ? (outside.length - failed.length) / outside.length : 1,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    uploadsAcknowledged: acked.length,
  };
  if (figures.availability < SLO.availability) {
    const first = failed
      .slice(0, 3)
      .map(
        (o) =>
          `user ${o.user} ${what(o)} at ${s(o.invokedAt)}: ${o.status ?? o.error}${faultBefore(faults, o.invokedAt)}`,
      );
    violations.push({
      rule: 'availability',
      message: `availability outside the failover windows was ${(figures.availability * 100).toFixed(1)}% (${failed.length} of ${outside.length} requests failed); the SLO is ${SLO.availability * 100}%. First failures: ${first.join('; ')}`,
    });
  }
  const p99Bound = latencyBound(figures);
  if (figures.p99Ms > p99Bound)
    violations.push({
      rule: 'latency',
      message: `p99 latency outside the failover windows was ${Math.round(figures.p99Ms)} ms; the SLO is ${SLO.p99Ms} ms, or ${SLO.p99Medians} × the median (${Math.round(figures.p50Ms)} ms) on a machine that busy: ${Math.round(p99Bound)} ms`,
    });
  return { violations, figures };
}

function lostWrites(acked: Op[], faults: Fault[], final: Final): Violation[] {
  return acked
    .filter((o) => !(final.own.get(o.user) ?? []).includes(o.photo as string))
    .map((o) => {
      const later = faults.find((f) => f.at >= o.completedAt);
      const after = later ? ` and was gone after ${faultText(later)} at ${s(later.at)}` : ' and was gone';
      return {
        rule: 'no acknowledged write lost',
        message: `user ${o.user}'s photo ${o.photo} was acknowledged at ${s(o.completedAt)}${after}: the final read of user ${o.user}'s photos at ${s(final.at)} did not list it`,
      };
    });
}

function ownReads(ops: Op[], acked: Op[]): Violation[] {
  const out: Violation[] = [];
  for (const read of ops.filter((o) => o.kind === 'own' && o.status === 200)) {
    const missing = acked.find(
      (w) =>
        w.user === read.user && w.completedAt < read.invokedAt && !read.photos?.includes(w.photo as string),
    );
    if (missing)
      out.push({
        rule: 'read your own writes',
        message: `user ${read.user} uploaded photo ${missing.photo} (acknowledged at ${s(missing.completedAt)}), then read their own photos at ${s(read.invokedAt)} in ${read.dataCenter} without it`,
      });
  }
  return out.slice(0, 3);
}

/**
 * While a primary is down or a data center is away, a replica cannot pull and a cached copy may come from it:
 * the bound holds for reads sent once every failover window, and the lag after it, are over.
 */
export function afterFaults(faults: Fault[], op: Pick<Op, 'invokedAt' | 'completedAt'>): boolean {
  return !faults.some(
    (f) => op.completedAt >= f.at && op.invokedAt <= f.endAt + SLO.windowMs + SLO.othersLagMs,
  );
}

function othersReads(ops: Op[], acked: Op[], faults: Fault[]): Violation[] {
  const out: Violation[] = [];
  for (const read of ops.filter((o) => o.kind === 'browse' && o.status === 200 && afterFaults(faults, o))) {
    const missing = acked.find(
      (w) =>
        w.user === read.target &&
        w.completedAt < read.invokedAt - SLO.othersLagMs &&
        !read.photos?.includes(w.photo as string),
    );
    if (missing)
      out.push({
        rule: 'others see a new photo within the bound',
        message: `user ${read.user} read user ${read.target}'s photos at ${s(read.invokedAt)} without photo ${missing.photo}, acknowledged at ${s(missing.completedAt)}: ${s(read.invokedAt - missing.completedAt)} later, more than the ${s(SLO.othersLagMs)} other users may lag`,
      });
  }
  return out.slice(0, 3);
}

function loggedOut(ops: Op[], faults: Fault[]): Violation[] {
  const out: Violation[] = [];
  const loggedIn = new Map<number, Op>();
  for (const op of [...ops].sort((a, b) => a.invokedAt - b.invokedAt)) {
    if (op.kind === 'login' && op.status === 200) loggedIn.set(op.user, op);
    const login = loggedIn.get(op.user);
    if (op.status === 401 && login && login.completedAt < op.invokedAt && op.kind !== 'login')
      out.push({
        rule: 'a logged-in user stays logged in',
        message: `user ${op.user} logged in at ${s(login.completedAt)} and got 401 at ${s(op.invokedAt)} (${what(op)} in ${op.dataCenter})${faultBefore(faults, op.invokedAt)}`,
      });
  }
  return out.slice(0, 3);
}

function processedOnce(acked: Op[], final: Final): Violation[] {
  const out: Violation[] = [];
  for (const o of acked) {
    const times = (final.albums.get(o.user) ?? []).filter((id) => id === idOf(o.photo as string)).length;
    if (times !== 1)
      out.push({
        rule: 'every accepted upload processed exactly once',
        message: `user ${o.user}'s photo ${o.photo}, acknowledged at ${s(o.completedAt)}, is in their album ${times} times after the queue drained (at ${s(final.at)})`,
      });
  }
  return out.slice(0, 3);
}
