/** The progress screens as text: the chapter table, and the current chapter with its first failure and hint. */
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
  const width = Math.max(...chapters.map((c) => c.title.length), 10);
  return chapters
    .map((chapter) => {
      const result = results[chapter.id];
      const marker = chapter.id === current ? '▶' : ' ';
      const count = result ? `${result.passed}/${result.total}` : 'not run';
      const now = running.includes(chapter.id) ? '  (running…)' : '';
      return `${marker} ${chapter.id}  ${chapter.title.padEnd(width)}  ${bar(result?.passed ?? 0, result?.total ?? 0)} ${count}${now}`;
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

/** One tier of one task's hints, as shown on the chapter screen. */
export interface ShownHint {
  task: number;
  title: string;
  tier: number;
  text: string;
}

export function renderHint(hint: ShownHint): string {
  const more = hint.tier < 3 ? 'h: the next tier   c: close' : 'c: close';
  return [
    `Task ${hint.task} · ${hint.title} — hint ${hint.tier} of 3, ${TIER_TITLES[hint.tier - 1]}   (${more})`,
    hint.text,
  ].join('\n');
}

export function renderChapter(
  chapter: ChapterInfo,
  result: ChapterResult | undefined,
  hint?: ShownHint,
  running = false,
): string {
  const lines = [`Chapter ${chapter.id}: ${chapter.title}   (chapters/${chapter.slug}/README.md)`, ''];
  if (!result) lines.push(running ? 'Running the tests…' : 'Not run yet.');
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
  if (hint) lines.push('', renderHint(hint));
  return lines.join('\n');
}

/**
 * The screen cut to the terminal's height: the body keeps its first lines and the footer (keys, status)
 * always shows; a cut body says where the rest is. A line wider than the terminal takes several rows.
 */
export function fitScreen(body: string, footer: string[], rows: number, more: string, columns = 0): string {
  const height = (line: string) => (columns > 0 ? Math.max(1, Math.ceil([...line].length / columns)) : 1);
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

export const KEYS_HELP =
  'h hint   c close hint   n next   p previous   l list   r rerun   q quit   (saving a file in src/ reruns)';
