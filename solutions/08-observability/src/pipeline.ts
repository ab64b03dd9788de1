/**
 * A deployment pipeline: build → test → deploy to every server, one at a time → smoke-test each → roll
 * back on failure. The kata's own CI (`.ci/run`) is the same idea for this repository.
 */

export interface Artifact {
  version: string;
}

export interface DeployTarget {
  id: string;
  /** Where the server answers `GET /health` and `GET /version` (`{ version }`). */
  url: string;
  /** Installs a version that was built before and restarts the server on it. */
  deploy(version: string): Promise<void>;
}

export interface PipelineOptions {
  build(): Promise<Artifact>;
  /** Runs the test suite against the artifact; rejects when a test fails. */
  test(artifact: Artifact): Promise<void>;
  targets: DeployTarget[];
}

export type StepName = 'build' | 'test' | 'deploy' | 'smoke' | 'rollback';

export interface StepReport {
  step: StepName;
  /** The server, for deploy, smoke and rollback steps. */
  target?: string;
  ok: boolean;
  error?: string;
}

export interface PipelineReport {
  ok: boolean;
  version?: string;
  /** The first step that failed. */
  failedAt?: StepName;
  /** The servers put back on their previous version. */
  rolledBack: string[];
  steps: StepReport[];
}

export async function runPipeline({ build, test, targets }: PipelineOptions): Promise<PipelineReport> {
  const report: PipelineReport = { ok: false, rolledBack: [], steps: [] };
  const step = async <T>(name: StepName, target: string | undefined, run: () => Promise<T>) => {
    try {
      const value = await run();
      report.steps.push({ step: name, ...(target ? { target } : {}), ok: true });
      return { ok: true as const, value };
    } catch (error) {
      report.steps.push({
        step: name,
        ...(target ? { target } : {}),
        ok: false,
        error: (error as Error).message,
      });
      report.failedAt ??= name;
      return { ok: false as const };
    }
  };

  const built = await step('build', undefined, build);
  if (!built.ok) return report;
  const artifact = built.value;
  report.version = artifact.version;
  if (!(await step('test', undefined, () => test(artifact))).ok) return report;

  const done: { target: DeployTarget; previous: string }[] = [];
  for (const target of targets) {
    const previous = await currentVersion(target.url);
    done.push({ target, previous });
    const deployed = await step('deploy', target.id, () => target.deploy(artifact.version));
    const healthy =
      deployed.ok && (await step('smoke', target.id, () => smokeTest(target.url, artifact.version))).ok;
    if (!healthy) {
      for (const { target: back, previous: version } of done.reverse()) {
        if ((await step('rollback', back.id, () => back.deploy(version))).ok) report.rolledBack.push(back.id);
      }
      return report;
    }
  }
  report.ok = true;
  return report;
}

/** A smoke test of one server: `/health` answers 2xx and `/version` names the version just deployed. */
export async function smokeTest(url: string, version: string): Promise<void> {
  const health = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) });
  await health.arrayBuffer();
  if (!health.ok) throw new Error(`GET /health answered ${health.status}`);
  const running = await currentVersion(url);
  if (running !== version) throw new Error(`the server runs ${running}, not ${version}`);
}

async function currentVersion(url: string): Promise<string> {
  const reply = await fetch(new URL('/version', url), { signal: AbortSignal.timeout(2000) });
  const body = (await reply.json()) as { version?: unknown };
  if (!reply.ok || typeof body.version !== 'string') throw new Error(`GET /version answered ${reply.status}`);
  return body.version;
}
