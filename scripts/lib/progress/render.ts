/** The progress screens as text: the chapter table, and the current chapter with its first failure and hint. */
import { t, titleOf } from '../i18n.js';
import type { ChapterInfo, ChapterResult } from './results.js';

const BAR = 20;

export function bar(passed: number, total: number, width = BAR): string {
  const filled = total === 0 ? 0 : Math.round((passed / total) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

export function renderTable(
  chapters: ChapterInfo[],
  results: Record<string, ChapterResult>,
  current: string,
  running: string[] = [],
): string {
  const width = Math.max(...chapters.map((c) => displayWidth(titleOf(c))), 10);
  return chapters
    .map((chapter) => {
      const result = results[chapter.id];
      const marker = chapter.id === current ? '▶' : ' ';
      const count = result ? `${result.passed}/${result.total}` : t('table.notRun');
      const now = running.includes(chapter.id) ? `  ${t('table.running')}` : '';
      const title = titleOf(chapter);
      const padded = title + ' '.repeat(width - displayWidth(title));
      return `${marker} ${chapter.id}  ${padded}  ${bar(result?.passed ?? 0, result?.total ?? 0)} ${count}${now}`;
    })
    .join('\n');
}

/** The failure message, stack-free and at most a few lines: what the test teaches. */
export function teaching(message: string, maxLines = 6): string {
  const lines = message
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .map((line) => line.trimEnd());
  const kept = lines.slice(0, maxLines);
  if (lines.length > maxLines) kept.push('…');
  return kept.map((line) => `    ${line}`).join('\n');
}

/** One tier of one task's hints, as shown on the chapter screen. */
export interface ShownHint {
  task: number;
  title: string;
  tier: number;
  text: string;
}

export function renderHint(hint: ShownHint): string {
  const more = t(hint.tier < 3 ? 'hint.keysMore' : 'hint.keysLast');
  return [`${hintHeading(hint)}   (${more})`, hint.text].join('\n');
}

export function hintHeading(hint: Omit<ShownHint, 'text'>): string {
  return t('hint.heading', { ...hint, tierTitle: t(`hint.tier${hint.tier}`) });
}

export function renderChapter(
  chapter: ChapterInfo,
  result: ChapterResult | undefined,
  hint?: ShownHint,
  running = false,
): string {
  const heading = t('chapter.heading', { ...chapter, title: titleOf(chapter), readme: t('readme') });
  const lines = [heading, ''];
  if (!result) lines.push(t(running ? 'chapter.running' : 'chapter.notRun'));
  else {
    lines.push(
      `${bar(result.passed, result.total)} ${t('chapter.passing', { passed: result.passed, total: result.total })}`,
      '',
    );
    if (result.firstFailure) {
      lines.push(
        t('chapter.next', { name: result.firstFailure.name }),
        `  (${result.firstFailure.file})`,
        teaching(result.firstFailure.message),
      );
    } else lines.push(t('chapter.complete'));
  }
  if (hint) lines.push('', renderHint(hint));
  return lines.join('\n');
}

/**
 * The screen cut to the terminal's height: the body keeps its first lines and the footer (keys, status)
 * always shows; a cut body says where the rest is. A line wider than the terminal takes several rows.
 */
export function fitScreen(body: string, footer: string[], rows: number, more: string, columns = 0): string {
  const height = (line: string) => (columns > 0 ? Math.max(1, Math.ceil(displayWidth(line) / columns)) : 1);
  let room = Math.max(3, rows - footer.reduce((n, line) => n + height(line), 0) - 1);
  const lines = body.split('\n');
  if (lines.reduce((n, line) => n + height(line), 0) <= room) return [...lines, ...footer].join('\n');
  const kept: string[] = [];
  room -= 1; // for the line that says where the rest is
  for (const line of lines) {
    if (height(line) > room) break;
    kept.push(line);
    room -= height(line);
  }
  return [...kept, `… ${more}`, ...footer].join('\n');
}

/** Columns a text takes in a terminal: Hangul and other wide characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1;
  return width;
}
