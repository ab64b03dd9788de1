/**
 * Hints are data: `chapters/NN-name/hints.md`, one section a task (`## 2 · Data tier`), three tiers each
 * (`### 1 · A nudge`, `### 2 · The approach`, `### 3 · Nearly the solution`). `npm run hint` and `npm start`
 * read them one tier at a time; no README shows them. The markers are numbers, so that a translation
 * (`hints.<lang>.md`) keeps the same structure with headings in its own words.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface TaskHints {
  task: number;
  title: string;
  /** Tier 1 a nudge, 2 the approach, 3 nearly the solution. */
  tiers: string[];
}

export interface HintFile {
  tasks: TaskHints[];
  /** What is wrong with the file's structure, as sentences. */
  problems: string[];
}

export const TIERS = 3;

export function hintsPath(root: string, slug: string, lang = 'en'): string {
  return path.join(root, 'chapters', slug, lang === 'en' ? 'hints.md' : `hints.${lang}.md`);
}

export function readHints(root: string, slug: string, lang = 'en'): HintFile {
  const file = hintsPath(root, slug, lang);
  if (!existsSync(file)) return { tasks: [], problems: [`${path.basename(file)} is missing`] };
  return parseHints(readFileSync(file, 'utf8'));
}

export function parseHints(text: string): HintFile {
  const tasks: TaskHints[] = [];
  const problems: string[] = [];
  let task: TaskHints | undefined;
  let tier = -1;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const taskHeading = /^## (\d+) · (.+)$/.exec(line);
    const tierHeading = /^### (\d) · .+$/.exec(line);
    if (taskHeading) {
      task = { task: Number(taskHeading[1]), title: (taskHeading[2] ?? '').trim(), tiers: [] };
      tasks.push(task);
      tier = -1;
    } else if (tierHeading && task) {
      tier = Number(tierHeading[1]) - 1;
      if (tier !== task.tiers.length) problems.push(`task ${task.task}: tier ${tier + 1} is out of order`);
      task.tiers[tier] = '';
    } else if (task && tier >= 0) task.tiers[tier] = `${task.tiers[tier] ?? ''}${line}\n`;
  }
  for (const t of tasks) {
    t.tiers = t.tiers.map((s) => s.trim());
    if (t.tiers.length !== TIERS || t.tiers.some((s) => s.length < 20))
      problems.push(`task ${t.task}: needs ${TIERS} tiers, each with real text`);
  }
  if (tasks.length === 0) problems.push('no task sections (`## N · title`)');
  return { tasks, problems };
}

/** The task a test file belongs to: `chapters/03-x/test/2-router.test.ts` → 2. */
export function taskOfTestFile(file: string): number | undefined {
  const match = /(?:^|\/)(\d+)-[^/]*$/.exec(file);
  return match ? Number(match[1]) : undefined;
}

/** The tasks a README lists under `## Tasks`: headings `### N · title — files`. */
export function readmeTasks(readme: string): { task: number; title: string }[] {
  return [...readme.matchAll(/^### (\d+) · (.+?)(?: — .*)?$/gm)].map((m) => ({
    task: Number(m[1]),
    title: (m[2] ?? '').trim(),
  }));
}
