/** The progress screens as text: the chapter table, and the current chapter with its first failure and hints. */
import type { Hints } from '../../../chapters/manifest.js';
import type { ChapterInfo, ChapterResult } from './results.js';

export interface ChapterWithHints extends ChapterInfo {
  hints: Hints;
}

const BAR = 20;

export function bar(passed: number, total: number, width = BAR): string {
  const filled = total === 0 ? 0 : Math.round((passed / total) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

export function renderTable(
  chapters: ChapterInfo[],
  results: Record<string, ChapterResult>,
  current: string,
): string {
  const width = Math.max(...chapters.map((c) => c.title.length), 10);
  return chapters
    .map((chapter) => {
      const result = results[chapter.id];
      const marker = chapter.id === current ? '▶' : ' ';
      const count = result ? `${result.passed}/${result.total}` : 'not run';
      return `${marker} ${chapter.id}  ${chapter.title.padEnd(width)}  ${bar(result?.passed ?? 0, result?.total ?? 0)} ${count}`;
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

const TIER_TITLES = ['a nudge', 'the approach', 'nearly the solution'];

export function renderHints(hints: Hints, revealed: number): string {
  const texts = [hints.nudge, hints.approach, hints.solution];
  return texts
    .slice(0, revealed)
    .map((text, i) => `Hint ${i + 1} of 3, ${TIER_TITLES[i]}:\n${text}`)
    .join('\n\n');
}

export function renderChapter(
  chapter: ChapterWithHints,
  result: ChapterResult | undefined,
  revealed: number,
): string {
  const lines = [`Chapter ${chapter.id}: ${chapter.title}   (chapters/${chapter.slug}/README.md)`, ''];
  if (!result) lines.push('Running the tests…');
  else {
    lines.push(`${bar(result.passed, result.total)} ${result.passed}/${result.total} tests pass`, '');
    if (result.firstFailure) {
      lines.push(
        `Next: ${result.firstFailure.name}`,
        `  (${result.firstFailure.file})`,
        teaching(result.firstFailure.message),
      );
    } else lines.push('Every test of this chapter passes. Press n for the next chapter.');
  }
  if (revealed > 0) lines.push('', renderHints(chapter.hints, revealed));
  return lines.join('\n');
}

export const KEYS_HELP =
  'h hint   n next   p previous   l list   r rerun   q quit   (saving a file in src/ reruns)';
