/**
 * The dev container configurations (.devcontainer/) are valid devcontainer.json files: checked against the
 * Dev Container specification's base schema, kept beside this test as scripts/test/schemas/
 * devContainer.base.schema.json (from devcontainers/spec, schemas/, commit d424cc1, MIT licence), and they
 * give the learner what the README promises: the Node of .nvmrc, an install, the vitest UI's port.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './fixture.js';

const schema = JSON.parse(
  readFileSync(new URL('./schemas/devContainer.base.schema.json', import.meta.url), 'utf8'),
) as object;
const folder = path.join(repoRoot, '.devcontainer');
const configurations = [
  '.devcontainer/devcontainer.json',
  ...readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `.devcontainer/${entry.name}/devcontainer.json`),
];
const node = readFileSync(path.join(repoRoot, '.nvmrc'), 'utf8').trim();

describe('dev containers', () => {
  // The schema uses the spec's own keywords (allowComments, deprecationMessage …): not strict about those.
  const validate = new Ajv2019({ strict: false, validateFormats: false, allErrors: true }).compile(schema);

  it.each(configurations)('%s is valid against the devcontainer.json schema', (file) => {
    const config = JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8'));
    const valid = validate(config);
    expect(validate.errors ?? [], `${file}: ${JSON.stringify(validate.errors, null, 2)}`).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(configurations)('%s: Node of .nvmrc, npm ci after create, the vitest UI port forwarded', (file) => {
    const config = JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8'));
    const image: string =
      config.image ??
      readFileSync(path.join(repoRoot, path.dirname(file), config.dockerComposeFile), 'utf8').match(
        /image: (\S*javascript-node\S*)/,
      )?.[1];
    expect(image, 'a Node image of the .nvmrc major').toMatch(new RegExp(`javascript-node:(\\d+-)?${node}$`));
    expect(config.postCreateCommand).toMatch(/^npm ci\b/);
    expect(config.forwardPorts).toContain(51204);
    expect(config.customizations?.codespaces?.openFiles).toContain('README.md');
  });

  it('rejects what is not a devcontainer.json (the check is real)', () => {
    expect(validate({ image: 'node:24', forwardPort: [51204] })).toBe(false);
    expect(validate({ image: 'node:24', postCreateCommand: 42 })).toBe(false);
  });
});
