/**
 * Known-wrong designs: the tests of the tests.
 *
 * Beside each solution, `solutions/NN-name/wrong/<design>.patch` is a unified diff against the solution's
 * src/ that plants one misconception a learner could plausibly hold. Its header says what it gets wrong and
 * which test must catch it:
 *
 *     Misconception: a missing user's photo list is simply empty
 *     Fails: 3-api.test.ts › answers 404 for the photos of a user that does not exist
 *     Message: 404
 *
 *     --- a/api.ts
 *     +++ b/api.ts
 *     @@ …
 *
 * verify applies each patch to a copy of the solution and runs the named test file on it: the named test
 * (a part of its full name) must fail, and its message must contain the fragment — the message is part of
 * the lesson. `npm run design` writes and tries them.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch, createTwoFilesPatch, parsePatch } from 'diff';

export interface WrongDesign {
  /** The file name without `.patch`. */
  name: string;
  chapter: string;
  misconception: string;
  /** The test file (`3-api.test.ts`) and a part of the test's full name. */
  file: string;
  test: string;
  /** A fragment the failure message must contain. */
  message: string;
  /** The diff against the solution's src/. */
  patch: string;
  /** What is wrong with the header itself, as sentences. */
  problems: string[];
}

const FIELDS = ['Misconception', 'Fails', 'Message'] as const;

export function designsDir(root: string, slug: string): string {
  return path.join(root, 'solutions', slug, 'wrong');
}

/** The wrong designs of a chapter, in name order. */
export function wrongDesigns(root: string, slug: string): WrongDesign[] {
  const dir = designsDir(root, slug);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.patch'))
    .sort()
    .map((f) => parseDesign(slug, f.replace(/\.patch$/, ''), readFileSync(path.join(dir, f), 'utf8')));
}

export function parseDesign(chapter: string, name: string, text: string): WrongDesign {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const bodyStart = lines.findIndex(
    (l) => l.startsWith('--- ') || l.startsWith('diff ') || l.startsWith('Index:'),
  );
  const header = lines.slice(0, bodyStart < 0 ? lines.length : bodyStart);
  const fields = new Map<string, string>();
  for (const line of header) {
    const match = /^(\w+):\s*(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) fields.set(match[1], match[2].trim());
  }
  const problems = FIELDS.filter((f) => !fields.get(f)).map((f) => `the header has no "${f}:" line`);
  const [file = '', ...rest] = (fields.get('Fails') ?? '').split(' › ');
  if (fields.get('Fails') && (!file.endsWith('.test.ts') || rest.length === 0))
    problems.push('"Fails:" must read `<N-name>.test.ts › <part of the test name>`');
  const patch = bodyStart < 0 ? '' : lines.slice(bodyStart).join('\n');
  if (!patch.trim()) problems.push('the patch changes nothing');
  return {
    name,
    chapter,
    misconception: fields.get('Misconception') ?? '',
    file,
    test: rest.join(' › '),
    message: fields.get('Message') ?? '',
    patch,
    problems,
  };
}

/** Writes the solution with the design's patch applied into `outDir`; returns what could not be applied. */
export function writeDesign(solutionDir: string, design: WrongDesign, outDir: string): string[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(solutionDir, outDir, { recursive: true });
  const problems: string[] = [];
  for (const filePatch of parsePatch(design.patch)) {
    if (filePatch.hunks.length === 0) continue;
    const file = stripPrefix(filePatch.newFileName ?? filePatch.oldFileName ?? '');
    const target = path.join(outDir, file);
    const before = existsSync(target) ? readFileSync(target, 'utf8') : '';
    const after = applyPatch(before, filePatch);
    if (after === false) problems.push(`${file}: the patch no longer applies to the solution (rewrite it)`);
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, after);
    }
  }
  return problems;
}

/** A patch from the solution's src/ to an edited copy of it, with the header in front. */
export function diffDesign(solutionDir: string, editedDir: string, header: string): string {
  const files = new Set([...listFiles(solutionDir), ...listFiles(editedDir)]);
  const parts: string[] = [];
  for (const file of [...files].sort()) {
    const read = (dir: string) =>
      existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8') : '';
    const [before, after] = [read(solutionDir), read(editedDir)];
    if (before === after) continue;
    parts.push(
      createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 })
        .split('\n')
        .filter((line) => !line.startsWith('====='))
        .join('\n'),
    );
  }
  return `${header.trim()}\n\n${parts.join('')}`;
}

export function headerOf(design: Pick<WrongDesign, 'misconception' | 'file' | 'test' | 'message'>): string {
  return [
    `Misconception: ${design.misconception}`,
    `Fails: ${design.file} › ${design.test}`,
    `Message: ${design.message}`,
  ].join('\n');
}

function stripPrefix(file: string): string {
  return file.replace(/^[ab]\//, '');
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}
