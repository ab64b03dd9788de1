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

/**
 * Upgrades every server of every data center to `version`, one at a time: out of its balancer (drained),
 * `install`, check its /health (200 and the new version), back into the balancer. A failed check stops the
 * deploy and puts every server already upgraded back on the version it ran before.
 */
export async function rollingDeploy(options: DeployOptions): Promise<DeployReport> {
  throw new Error('TODO (README, task 4): rollingDeploy');
}

/** Asks every server's /health for its version. */
export async function versionSkew(servers: Server[], checkTimeoutMs = 2000): Promise<SkewReport> {
  throw new Error('TODO (README, task 4): versionSkew');
}
