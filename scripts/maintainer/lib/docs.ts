/**
 * Chapter READMEs: the sections every chapter has, and the hints block, which is rendered from the manifest
 * (`npm run docs` writes it; `npm run verify` checks that it is current).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Chapter } from '../../../chapters/manifest.js';
import { root } from '../../lib/paths.js';

export const REQUIRED_SECTIONS = ['## Concept', '## Diagram', '## Tasks', '## Hints', '## Going further'];
const START = '<!-- hints:start (generated from chapters/manifest.ts by `npm run docs`) -->';
const END = '<!-- hints:end -->';

export function readmePath(chapter: Chapter): string {
  return path.join(root, 'chapters', chapter.slug, 'README.md');
}

export function renderHints(chapter: Chapter): string {
  const tiers: [string, string][] = [
    ['Hint 1: a nudge', chapter.hints.nudge],
    ['Hint 2: the approach', chapter.hints.approach],
    ['Hint 3: nearly the solution', chapter.hints.solution],
  ];
  const blocks = tiers.map(
    ([title, text]) => `<details>\n<summary>${title}</summary>\n\n${text.trim()}\n\n</details>`,
  );
  return [START, '', ...blocks.flatMap((b) => [b, '']), END].join('\n');
}

/** The README with its hints block replaced by the current rendering. */
export function withHints(readme: string, chapter: Chapter): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return readme;
  return readme.slice(0, start) + renderHints(chapter) + readme.slice(end + END.length);
}

/** What is wrong with a chapter's documents and folders, as sentences; empty when all is well. */
export function checkDocs(chapter: Chapter): string[] {
  const problems: string[] = [];
  for (const [tier, text] of Object.entries(chapter.hints)) {
    if (text.trim().length < 40) problems.push(`the manifest's ${tier} hint is missing or too short`);
  }
  for (const dir of ['src', 'test']) {
    if (!existsSync(path.join(root, 'chapters', chapter.slug, dir)))
      problems.push(`chapters/${chapter.slug}/${dir} is missing`);
  }
  if (!existsSync(path.join(root, 'solutions', chapter.slug, 'src')))
    problems.push(`solutions/${chapter.slug}/src is missing`);
  const file = readmePath(chapter);
  if (!existsSync(file)) return [...problems, 'README.md is missing'];
  const readme = readFileSync(file, 'utf8');
  for (const section of REQUIRED_SECTIONS) {
    if (!readme.split('\n').some((line) => line.startsWith(section)))
      problems.push(`README has no "${section}" section`);
  }
  if (!readme.includes('```mermaid')) problems.push('README has no mermaid diagram');
  if (!readme.includes(START)) problems.push('README has no hints block (run `npm run docs`)');
  else if (withHints(readme, chapter) !== readme)
    problems.push('README hints differ from the manifest (run `npm run docs`)');
  return problems;
}
