/**
 * Chapter documents: the sections every chapter README has, no hint text in it, and a hints file with three
 * tiers for every task the README lists (`npm run verify` reports what is wrong).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Chapter } from '../../../chapters/manifest.js';
import { readHints, readmeTasks } from '../../lib/hints.js';
import { root } from '../../lib/paths.js';
import { hintsDrift, messagesDrift, readmeDrift } from './parity.js';

export const REQUIRED_SECTIONS = ['## Concept', '## Diagram', '## Tasks', '## Hints', '## Going further'];

export function readmePath(chapter: Chapter): string {
  return path.join(root, 'chapters', chapter.slug, 'README.md');
}

/** What is wrong with a chapter's documents and folders, as sentences; empty when all is well. */
export function checkDocs(chapter: Chapter): string[] {
  const problems: string[] = [];
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
  if (/<details>|Hint \d of 3|nearly the solution<\/summary>/.test(readme))
    problems.push('README shows hint text: hints live in hints.md and are asked for one tier at a time');
  if (!readme.includes(`npm run hint -- ${chapter.id}`))
    problems.push(
      `README's Hints section does not say how to ask for one (\`npm run hint -- ${chapter.id}\`)`,
    );
  problems.push(...hintProblems(chapter, readme));
  return problems;
}

/** Every task of the README has hints, three tiers each, and the hints name no task the README lacks. */
function hintProblems(chapter: Chapter, readme: string): string[] {
  const hints = readHints(root, chapter.slug);
  const problems = hints.problems.map((p) => `hints.md: ${p}`);
  const tasks = readmeTasks(readme).map((t) => t.task);
  const hinted = hints.tasks.map((t) => t.task);
  for (const task of tasks)
    if (!hinted.includes(task)) problems.push(`hints.md has no hints for task ${task} of the README`);
  for (const task of hinted)
    if (!tasks.includes(task))
      problems.push(`hints.md has hints for task ${task}, which the README does not list`);
  return problems;
}

/** The Korean edition of a chapter: README.ko.md and hints.ko.md, in step with the English ones. */
export function checkKorean(chapter: Chapter): string[] {
  const dir = path.join(root, 'chapters', chapter.slug);
  return [
    ...twinProblems(path.join(dir, 'README.md'), path.join(dir, 'README.ko.md'), readmeDrift),
    ...twinProblems(path.join(dir, 'hints.md'), path.join(dir, 'hints.ko.md'), hintsDrift),
    ...linkProblems(path.join(dir, 'README.md'), 'README.ko.md'),
    ...linkProblems(path.join(dir, 'README.ko.md'), 'README.md'),
  ];
}

/** The kata's own Korean edition: the root README's twin and the runner's messages. */
export function checkKoreanKata(): string[] {
  const messages = (lang: string) =>
    JSON.parse(readFileSync(path.join(root, 'scripts/lib/messages', `${lang}.json`), 'utf8')) as Record<
      string,
      string
    >;
  return [
    ...twinProblems(path.join(root, 'README.md'), path.join(root, 'README.ko.md'), readmeDrift),
    ...linkProblems(path.join(root, 'README.md'), 'README.ko.md'),
    ...linkProblems(path.join(root, 'README.ko.md'), 'README.md'),
    ...messagesDrift(messages('en'), messages('ko')).map((p) => `scripts/lib/messages/ko.json: ${p}`),
  ];
}

function twinProblems(original: string, twin: string, drift: (a: string, b: string) => string[]): string[] {
  const name = path.relative(root, twin).split(path.sep).join('/');
  if (!existsSync(twin)) return [`${name} is missing`];
  return drift(readFileSync(original, 'utf8'), readFileSync(twin, 'utf8')).map((p) => `${name}: ${p}`);
}

/** Each edition links to the other near its top. */
function linkProblems(file: string, other: string): string[] {
  if (!existsSync(file)) return [];
  const top = readFileSync(file, 'utf8').split('\n').slice(0, 8).join('\n');
  return top.includes(`](${other})`) ? [] : [`${path.basename(file)} does not link to ${other} at its top`];
}
