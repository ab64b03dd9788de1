/**
 * The classroom workflow (templates/classroom.yml, the learner's .github/workflows/grade.yml) uses the same
 * actions as ci.yml: Dependabot updates ci.yml only, and this test asks for the template to follow.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from './fixture.js';

const actionsOf = (file: string) =>
  new Map(
    [...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/uses: ([\w-]+\/[\w-]+)@(\S+)/g)].map(
      (m) => [m[1] ?? '', m[2] ?? ''],
    ),
  );

it('templates/classroom.yml uses the versions of ci.yml for every action they share', () => {
  const ci = actionsOf('.github/workflows/ci.yml');
  const template = actionsOf('templates/classroom.yml');
  for (const [action, version] of template) {
    if (ci.has(action)) expect(version, `${action} in templates/classroom.yml`).toBe(ci.get(action));
  }
  expect(template.get('actions/checkout')).toBeDefined();
});

it('templates/classroom.yml takes the Node version from .nvmrc', () => {
  expect(readFileSync(path.join(repoRoot, 'templates/classroom.yml'), 'utf8')).toContain(
    'node-version-file: .nvmrc',
  );
});
