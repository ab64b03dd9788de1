/**
 * Releasing to several data centers: a rolling deploy, one server at a time, each taken out of its
 * balancer, upgraded, checked and put back before the next; a failed check rolls every upgraded server back.
 * And the check that tells whether the fleet runs one version or several (version skew).
 */

export interface Server {
  id: string;
  /** Where the server answers now, e.g. http://127.0.0.1:40123 (it changes when the server is reinstalled). */
  url: string;
}

export interface DeployDataCenter {
  id: string;
  /** The data center's load balancer: `remove` drains a server, `add` sends it traffic again. */
  balancer: { add(id: string, url: string): void; remove(id: string): Promise<void> };
  servers: Server[];
}

/** Installs `version` on a server and starts it again; resolves with where it now answers. */
export type Install = (server: Server, version: string) => Promise<Server>;

export interface DeployOptions {
  dataCenters: DeployDataCenter[];
  version: string;
  install: Install;
  /** A health check that has no answer within this time fails (default 2000). */
  checkTimeoutMs?: number;
}

export interface DeployReport {
  ok: boolean;
  version: string;
  /** Servers that ran the new version, in the order they were upgraded (before any rollback). */
  upgraded: string[];
  /** The server whose check failed, and why. */
  failed?: { server: string; reason: string };
  /** Servers put back on their previous version after the failure. */
  rolledBack: string[];
}

export interface SkewReport {
  /** version → ids of the servers that run it. */
  versions: Record<string, string[]>;
  /** Servers that did not answer their health check. */
  unreachable: string[];
  /** More than one version in the fleet. */
  skewed: boolean;
}

interface Health {
  ok: boolean;
  version?: string;
  reason: string;
}

/** A server upgraded by this deploy: where it answers now, and the version it ran before. */
interface Upgraded {
  dc: DeployDataCenter;
  server: Server;
  previous: string;
}

export async function rollingDeploy(options: DeployOptions): Promise<DeployReport> {
  const timeout = options.checkTimeoutMs ?? 2000;
  const upgraded: Upgraded[] = [];
  const report = { version: options.version, upgraded: [] as string[] };
  for (const { dc, server } of deployOrder(options.dataCenters)) {
    const previous = (await check(server.url, timeout)).version ?? '';
    const step = await replace(dc, server, options.version, options.install, timeout);
    if (step.ok) {
      upgraded.push({ dc, server: step.next, previous });
      report.upgraded.push(server.id);
      continue;
    }
    // The failed server is out of its balancer: put it back on what it ran, then every upgraded one.
    const restored = await options.install(step.next, previous);
    dc.balancer.add(restored.id, restored.url);
    dc.servers[dc.servers.indexOf(server)] = restored;
    const rolledBack = await rollBack(upgraded, options.install, timeout);
    return { ...report, ok: false, failed: { server: server.id, reason: step.reason }, rolledBack };
  }
  return { ...report, ok: true, rolledBack: [] };
}

/** Data center by data center, each server in turn (a canary in every data center first would do too). */
function deployOrder(dataCenters: DeployDataCenter[]) {
  return dataCenters.flatMap((dc) => [...dc.servers].map((server) => ({ dc, server })));
}

/** Drain, install, check, and only when the check passed back into the balancer at the new address. */
async function replace(
  dc: DeployDataCenter,
  server: Server,
  version: string,
  install: DeployOptions['install'],
  timeout: number,
) {
  await dc.balancer.remove(server.id);
  const next = await install(server, version);
  const health = await check(next.url, timeout);
  const ok = health.ok && health.version === version;
  if (ok) {
    dc.balancer.add(next.id, next.url);
    dc.servers[dc.servers.indexOf(server)] = next;
  }
  return { next, ok, reason: ok ? '' : health.ok ? `answers version ${health.version}` : health.reason };
}

/** Every upgraded server back on the version it ran, newest first, the same careful way. */
async function rollBack(upgraded: Upgraded[], install: DeployOptions['install'], timeout: number) {
  const rolledBack: string[] = [];
  for (const item of [...upgraded].reverse()) {
    await replace(item.dc, item.server, item.previous, install, timeout);
    rolledBack.push(item.server.id);
  }
  return rolledBack;
}

export async function versionSkew(servers: Server[], checkTimeoutMs = 2000): Promise<SkewReport> {
  const versions: Record<string, string[]> = {};
  const unreachable: string[] = [];
  const answers = await Promise.all(servers.map((s) => check(s.url, checkTimeoutMs)));
  servers.forEach((server, i) => {
    const version = answers[i]?.version;
    if (!answers[i]?.ok || version === undefined) unreachable.push(server.id);
    else versions[version] = [...(versions[version] ?? []), server.id];
  });
  return { versions, unreachable, skewed: Object.keys(versions).length > 1 };
}

async function check(url: string, timeoutMs: number): Promise<Health> {
  try {
    const reply = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
    const text = await reply.text();
    if (reply.status !== 200) return { ok: false, reason: `health answered ${reply.status}` };
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return { ok: true, version: typeof version === 'string' ? version : undefined, reason: '' };
  } catch (error) {
    return { ok: false, reason: `health check failed: ${(error as Error).message}` };
  }
}
