/**
 * A deployment pipeline: build → test → deploy to every server, one at a time → smoke-test → roll back on
 * failure. README: task 5. The kata's own CI (`.ci/run`) is the same idea for this repository.
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

export async function runPipeline(options: PipelineOptions): Promise<PipelineReport> {
  throw new Error(`TODO (README, task 5): a pipeline over ${options.targets.length} servers`);
}

/** A smoke test of one server: `/health` answers 2xx and `/version` names the version just deployed. */
export async function smokeTest(url: string, version: string): Promise<void> {
  throw new Error(`TODO (README, task 5): smoke-test ${url} on ${version}`);
}
