/**
 * Task 5 — automation. A pipeline builds, tests, deploys to every server one at a time, smoke-tests what it
 * deployed and rolls back when something fails. What it did is observable: the version each server
 * answers on /version, and the pipeline's report.
 */
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../src/pipeline.js';
import { startFleet } from './fleet.js';

const build = (version: string) => async () => ({ version });
const passing = async () => {};
const failing = async () => {
  throw new Error('1 test failed: photos › keeps the title');
};

describe('A deployment pipeline', () => {
  it('builds, tests and deploys to every server one at a time', async () => {
    const fleet = await startFleet({ size: 3, initial: 'v1' });
    const report = await runPipeline({ build: build('v2'), test: passing, targets: fleet.targets });
    expect(report.ok, `a good version goes out: ${JSON.stringify(report)}`).toBe(true);
    expect(report.version).toBe('v2');
    expect(await fleet.versions(), 'every server runs the new version').toEqual(['v2', 'v2', 'v2']);
    expect(
      fleet.maxInFlight,
      'servers are deployed one at a time, so that the others keep serving while one restarts',
    ).toBe(1);
    const steps = report.steps.map((s) => s.step);
    expect(steps.slice(0, 2), 'the report lists the steps in order: build, then test').toEqual([
      'build',
      'test',
    ]);
    expect(steps.filter((s) => s === 'deploy').length, 'then one deploy per server').toBe(3);
    expect(steps, 'and a smoke test of what was deployed').toContain('smoke');
    expect(report.rolledBack, 'nothing to roll back').toEqual([]);
  });

  it('deploys nothing when the build or a test fails', async () => {
    const fleet = await startFleet({ size: 3, initial: 'v1' });
    const tested = await runPipeline({ build: build('v2'), test: failing, targets: fleet.targets });
    expect(tested.ok, 'a failing test stops the pipeline').toBe(false);
    expect(tested.failedAt, 'the report says which step failed').toBe('test');
    expect(
      fleet.deploys,
      'a version whose tests fail must never reach a server: the test step gates the deploy',
    ).toEqual([]);
    const broken = await runPipeline({
      build: async () => {
        throw new Error('tsc: 2 errors');
      },
      test: passing,
      targets: fleet.targets,
    });
    expect([broken.ok, broken.failedAt], 'a failed build stops the pipeline at build').toEqual([
      false,
      'build',
    ]);
    expect(fleet.deploys, 'and deploys nothing').toEqual([]);
    expect(await fleet.versions(), 'every server still runs v1').toEqual(['v1', 'v1', 'v1']);
  });

  it('rolls back when the smoke test fails: every server ends on the old version', async () => {
    const fleet = await startFleet({ size: 3, initial: 'v1', broken: ['v2'] });
    const report = await runPipeline({ build: build('v2'), test: passing, targets: fleet.targets });
    expect(report.ok, 'v2 answers 500 on /health once deployed: the pipeline failed').toBe(false);
    expect(report.failedAt, 'at the smoke test').toBe('smoke');
    expect(
      await fleet.versions(),
      'a failed smoke test must leave no server on the broken version: roll every deployed server back to v1',
    ).toEqual(['v1', 'v1', 'v1']);
    expect(report.rolledBack.length, 'the report names the servers it rolled back').toBeGreaterThan(0);
    expect(
      fleet.deploys.filter((d) => d.version === 'v2').map((d) => d.target),
      'web-1 failed its smoke test: the pipeline stops there, before the broken version reaches another server (smoke-test each server right after deploying it)',
    ).toEqual(['web-1']);
    expect(
      fleet.deploys
        .filter((d) => d.version === 'v1')
        .map((d) => d.target)
        .sort(),
      'the servers rolled back are those the broken version reached',
    ).toEqual([...new Set(fleet.deploys.filter((d) => d.version === 'v2').map((d) => d.target))].sort());
  });

  it('rolls back the servers already deployed when a deploy fails half-way', async () => {
    const fleet = await startFleet({ size: 3, initial: 'v1', failingDeploys: ['web-2'] });
    const report = await runPipeline({ build: build('v2'), test: passing, targets: fleet.targets });
    expect([report.ok, report.failedAt], 'the deploy to web-2 failed').toEqual([false, 'deploy']);
    expect(
      await fleet.versions(),
      'web-1 got v2 before web-2 failed: it goes back to v1, so that the fleet runs one version',
    ).toEqual(['v1', 'v1', 'v1']);
    expect(
      fleet.deploys.some((d) => d.target === 'web-3' && d.version === 'v2'),
      'after a failed deploy the pipeline stops: web-3 never gets v2',
    ).toBe(false);
  });

  it('rolls each server back to the version it ran before, read from its /version', async () => {
    const canary = await startFleet({
      size: 3,
      initial: ['v1.1', 'v1', 'v1'],
      failingDeploys: ['web-3'],
    });
    const halfway = await runPipeline({ build: build('v2'), test: passing, targets: canary.targets });
    expect([halfway.ok, halfway.failedAt], 'the deploy to web-3 failed').toEqual([false, 'deploy']);
    expect(
      await canary.versions(),
      'web-1 ran v1.1 and web-2 v1 before the deploy: each goes back to its own version (read every server’s /version before deploying to it), not to one version for all',
    ).toEqual(['v1.1', 'v1', 'v1']);
    expect(
      [...halfway.rolledBack].sort(),
      'rolledBack names every server put back on its previous version',
    ).toEqual(['web-1', 'web-2']);
    const failed = halfway.steps.find((s) => !s.ok);
    expect(
      [failed?.step, failed?.target, typeof failed?.error],
      'the report’s failed step names its target and carries the error',
    ).toEqual(['deploy', 'web-3', 'string']);
  });

  it('smoke-tests the version, not only the health: a server still on the old version fails it', async () => {
    const fleet = await startFleet({ size: 3, initial: 'v1', staleDeploys: ['web-2'] });
    const report = await runPipeline({ build: build('v2'), test: passing, targets: fleet.targets });
    expect(
      [report.ok, report.failedAt],
      'web-2 reported the deploy done but still answers /version with v1: the smoke test must check the version, and fail',
    ).toEqual([false, 'smoke']);
    expect(await fleet.versions(), 'and the fleet is rolled back to one version, v1').toEqual([
      'v1',
      'v1',
      'v1',
    ]);
  });
});
