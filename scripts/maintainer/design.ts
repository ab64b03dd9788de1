/**
 * `npm run design -- <command>` (maintainers): write and try the known-wrong designs of a chapter
 * (solutions/NN-name/wrong/<design>.patch; see lib/designs.ts).
 *
 *   list [NN]                  the designs, with their misconception and the test that must catch them
 *   edit NN <design>           writes the solution (with the design's patch, if it exists) into
 *                              .kata/designs/<chapter>/<design>/ and prints the folder: edit the copy there
 *   save NN <design> --misconception "…" --fails "3-api.test.ts › part of the test name" --message "…"
 *                              writes the patch from that copy (the header fields default to the old ones)
 *   run NN [<design>]          runs each design's named test file and says whether it is caught as it says
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chaptersFrom } from '../lib/chapter-args.js';
import { root } from '../lib/paths.js';
import { designsCheck, ok } from './lib/checks.js';
import { designsDir, diffDesign, headerOf, parseDesign, writeDesign, wrongDesigns } from './lib/designs.js';
import { inVariant, prepareVariants, runVariants } from './lib/variants.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    misconception: { type: 'string' },
    fails: { type: 'string' },
    message: { type: 'string' },
  },
});
const [command, chapterWord, name] = positionals;
const usage = () => {
  console.error(
    'usage: npm run design -- list [NN] | edit NN <design> | save NN <design> [--misconception … --fails … --message …] | run NN [<design>]',
  );
  process.exit(2);
};
if (!command) usage();
const chapters = chaptersFrom(chapterWord ? [chapterWord] : []);
const chapter = chapters[0];
if (!chapter) usage();
const slug = chapter?.slug ?? '';
const solution = path.join(root, 'solutions', slug, 'src');
const copy = path.join(root, '.kata', 'designs', slug, name ?? '');
const patchFile = path.join(designsDir(root, slug), `${name}.patch`);

if (command === 'list') {
  for (const c of chapters) {
    const designs = wrongDesigns(root, c.slug);
    console.log(`${c.slug}: ${designs.length} wrong designs`);
    for (const d of designs)
      console.log(`  ${d.name}: ${d.misconception}\n    caught by ${d.file} › ${d.test}`);
  }
} else if (command === 'edit' && name) {
  const design = existsSync(patchFile) ? parseDesign(slug, name, readFileSync(patchFile, 'utf8')) : undefined;
  const problems = design
    ? writeDesign(solution, design, copy)
    : writeDesign(solution, { ...blank(), patch: '' }, copy);
  for (const p of problems) console.error(p);
  console.log(copy);
} else if (command === 'save' && name) {
  if (!existsSync(copy)) {
    console.error(`no copy to save: run \`npm run design -- edit ${chapter?.id} ${name}\` first`);
    process.exit(2);
  }
  const old = existsSync(patchFile) ? parseDesign(slug, name, readFileSync(patchFile, 'utf8')) : blank();
  const [file = old.file, ...test] = values.fails ? values.fails.split(' › ') : [];
  const header = headerOf({
    misconception: values.misconception ?? old.misconception,
    file,
    test: test.length > 0 ? test.join(' › ') : old.test,
    message: values.message ?? old.message,
  });
  const patch = diffDesign(solution, copy, header);
  mkdirSync(path.dirname(patchFile), { recursive: true });
  writeFileSync(patchFile, patch);
  console.log(`wrote ${path.relative(root, patchFile)}`);
} else if (command === 'run' && chapter) {
  const prepared = prepareVariants(root, chapter);
  const designs = prepared.designs.filter((d) => !name || d.design.name === name);
  const run = await runVariants(
    root,
    designs.map((d) => d.variant),
  );
  for (const { design, variant } of designs) {
    console.log(`\n${design.name}: ${design.misconception}`);
    for (const t of inVariant(run.tests, variant).filter((x) => x.status !== 'passed'))
      console.log(
        `  ✘ ${t.file.split('/').pop()} › ${t.name}\n      ${(t.message ?? '').split('\n').slice(0, 3).join('\n      ')}`,
      );
  }
  const check = designsCheck(designs, run, name ? 1 : 0);
  console.log(`\n${ok(check) ? '✔' : '✘'} ${check.summary}`);
  for (const p of check.problems) console.log(`  - ${p}`);
  process.exitCode = ok(check) ? 0 : 1;
} else usage();

function blank() {
  return {
    name: name ?? '',
    chapter: slug,
    misconception: '',
    file: '',
    test: '',
    message: '',
    patch: '',
    problems: [],
  };
}
