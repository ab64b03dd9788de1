import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHints } from '../lib/hints.js';
import { useLanguage } from '../lib/i18n.js';
import { taskAtHand } from '../lib/progress/hint-state.js';
import { type KataShape, onKey, onResult, type ProgressState } from '../lib/progress/keys.js';
import { bar, fitScreen, renderChapter, renderTable, teaching } from '../lib/progress/render.js';
import { currentChapter, isStale, resultOf } from '../lib/progress/results.js';
import { emptyProgress, PROGRESS_FILE, readProgress, writeProgress } from '../lib/progress/store.js';
import type { RunResult, TestOutcome } from '../lib/test-outcome.js';

useLanguage('en'); // the screens below are checked in English, whatever the machine's locale

const chapters = [
  { id: '01', slug: '01-a', title: 'First' },
  { id: '02', slug: '02-b', title: 'Second' },
];
const ids: KataShape = { chapterIds: chapters.map((c) => c.id), hintTasks: { '01': [1, 2, 3], '02': [1] } };
const state: ProgressState = { current: '01', hintTiers: {}, hintOpen: false, results: {}, view: 'chapter' };
const failingIn = (file: string) => ({
  passed: 0,
  total: 2,
  firstFailure: { file, name: 't', message: 'm' },
});

function outcome(
  project: string,
  file: string,
  order: number,
  status: 'passed' | 'failed',
  message?: string,
): TestOutcome {
  return {
    project,
    file,
    name: `${file} #${order}`,
    status,
    order,
    durationMs: 1,
    ...(message ? { message } : {}),
  };
}
function run(tests: TestOutcome[]): RunResult {
  return { tests, fileFailures: [], exitCode: 1, durationMs: 1, output: '' };
}

describe('progress: results', () => {
  it('finds the first failing test in task order, and the current chapter is the first not complete', () => {
    const result = run([
      outcome('01-a', 'chapters/01-a/test/2-b.test.ts', 0, 'failed', 'later'),
      outcome(
        '01-a',
        'chapters/01-a/test/1-a.test.ts',
        1,
        'failed',
        'first: do this\n    at stack (x.ts:1:1)',
      ),
      outcome('01-a', 'chapters/01-a/test/1-a.test.ts', 0, 'passed'),
      outcome('02-b', 'chapters/02-b/test/1.test.ts', 0, 'passed'),
    ]);
    const first = resultOf(chapters[0] as (typeof chapters)[0], result);
    expect(first).toMatchObject({
      passed: 1,
      total: 3,
      firstFailure: { file: 'chapters/01-a/test/1-a.test.ts' },
    });
    const second = resultOf(chapters[1] as (typeof chapters)[0], result);
    expect(currentChapter(chapters, { '01': second, '02': first })).toBe('02');
    expect(currentChapter(chapters, { '01': first, '02': second })).toBe('01');
    expect(currentChapter(chapters, { '01': second, '02': second })).toBe('02');
    expect(teaching('first: do this\n    at stack (x.ts:1:1)')).toBe('    first: do this');
  });

  it('renders a table with a bar, counts and a marker on the current chapter', () => {
    const table = renderTable(chapters, { '01': { passed: 1, total: 2 } }, '01').split('\n');
    expect(table[0]).toBe(`▶ 01  First       ${bar(1, 2)} 1/2`);
    expect(table[1]).toBe(`  02  Second      ${bar(0, 0)} not run`);
    expect(bar(1, 4, 8)).toBe('██░░░░░░');
  });

  it('shows the hint on screen under the first failure, and cuts the screen to the terminal height', () => {
    const result = { passed: 0, total: 1, firstFailure: { file: 'f', name: 'does it', message: 'because' } };
    const text = renderChapter(chapters[0] as (typeof chapters)[0], result, {
      task: 2,
      title: 'Data tier',
      tier: 2,
      text: 'A2',
    });
    expect(text).toContain('Next: does it');
    expect(text).toContain('Task 2 · Data tier — hint 2 of 3, the approach');
    expect(text).toContain('A2');
    const screen = fitScreen(
      Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n'),
      ['', 'keys'],
      10,
      'more',
    );
    expect(screen.split('\n')).toHaveLength(9);
    expect(screen.split('\n').slice(-3)).toEqual(['… more', '', 'keys']);
    const wide = fitScreen(['a'.repeat(30), 'b', 'c', 'd'].join('\n'), ['keys'], 6, 'more', 10);
    expect(wide.split('\n')).toEqual(['a'.repeat(30), '… more', 'keys']);
  });
});

describe('progress: hints as data', () => {
  it('reads three tiers per task from the hints file, and says what is missing', () => {
    const file = parseHints(
      '# Hints\n\n## 1 · DNS\n\n### 1 · A nudge\n\nnudge text, long enough\n\n### 2 · The approach\n\napproach text, long enough\n\n### 3 · Nearly the solution\n\nsolution text, long enough\n\n## 2 · Data\n\n### 1 · A nudge\n\nonly one tier of text\n',
    );
    expect(file.tasks.map((t) => t.task)).toEqual([1, 2]);
    expect(file.tasks[0]?.tiers).toEqual([
      'nudge text, long enough',
      'approach text, long enough',
      'solution text, long enough',
    ]);
    expect(file.problems).toEqual(['task 2: needs 3 tiers, each with real text']);
  });

  it('gives the hints of the task whose test fails first, the first task before any run, none when all pass', () => {
    expect(taskAtHand(failingIn('chapters/01-a/test/2-b.test.ts'), [1, 2, 3])).toBe(2);
    expect(taskAtHand(failingIn('chapters/01-a/test/5-path.test.ts'), [1, 2, 3])).toBe(3);
    expect(taskAtHand(undefined, [1, 2, 3])).toBe(1);
    expect(taskAtHand({ passed: 2, total: 2 }, [1, 2, 3])).toBeUndefined();
  });
});

describe('progress: keys', () => {
  it('reveals the hint tiers of the task at hand one at a time, up to three, and saves them', () => {
    let s: ProgressState = { ...state, results: { '01': failingIn('chapters/01-a/test/2-b.test.ts') } };
    for (let i = 0; i < 4; i++) s = onKey(s, 'h', ids).state;
    expect(s.hintTiers).toEqual({ '01': { '2': 3 } });
    expect(s.hintOpen).toBe(true);
    expect(onKey(state, 'h', ids).effects).toEqual(['render', 'save']);
  });

  it('closes a hint with c, and h opens it again as it was before showing the next tier', () => {
    let s: ProgressState = { ...state, results: { '01': failingIn('chapters/01-a/test/1-a.test.ts') } };
    s = onKey(s, 'h', ids).state;
    s = onKey(s, 'c', ids).state;
    expect(s).toMatchObject({ hintOpen: false, hintTiers: { '01': { '1': 1 } } });
    s = onKey(s, 'h', ids).state;
    expect(s).toMatchObject({ hintOpen: true, hintTiers: { '01': { '1': 1 } } });
    s = onKey(s, 'h', ids).state;
    expect(s.hintTiers).toEqual({ '01': { '1': 2 } });
  });

  it('keeps the tiers of each task apart: a new failing task starts at tier 1', () => {
    let s: ProgressState = { ...state, results: { '01': failingIn('chapters/01-a/test/1-a.test.ts') } };
    s = onKey(onKey(s, 'h', ids).state, 'h', ids).state;
    s = { ...s, hintOpen: false, results: { '01': failingIn('chapters/01-a/test/3-c.test.ts') } };
    s = onKey(s, 'h', ids).state;
    expect(s.hintTiers).toEqual({ '01': { '1': 2, '3': 1 } });
  });

  it('moves to the next and previous chapter, watches it and runs it, and stops at the ends', () => {
    const next = onKey(state, 'n', ids);
    expect(next.state.current).toBe('02');
    expect(next.effects).toEqual(['render', 'watch', 'run', 'save']);
    expect(onKey(next.state, 'n', ids)).toMatchObject({ state: { current: '02' }, effects: ['render'] });
    expect(onKey(next.state, 'p', ids).state.current).toBe('01');
    expect(onKey(state, 'p', ids).state.current).toBe('01');
  });

  it('toggles the list, reruns, quits, and ignores other keys', () => {
    expect(onKey(state, 'l', ids).state.view).toBe('list');
    expect(onKey({ ...state, view: 'list' }, 'l', ids).state.view).toBe('chapter');
    expect(onKey(state, 'r', ids).effects).toEqual(['run']);
    expect(onKey(state, 'q', ids).effects).toEqual(['save', 'quit']);
    expect(onKey(state, '\u0003', ids).effects).toEqual(['save', 'quit']);
    expect(onKey(state, 'x', ids)).toEqual({ state, effects: [] });
    const done = onResult(state, '01', { passed: 2, total: 2 });
    expect(done.state.results['01']).toEqual({ passed: 2, total: 2 });
  });
});

describe('progress: the file', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kata-progress-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('round-trips, and a missing or broken file is a fresh start', () => {
    expect(readProgress(root)).toEqual(emptyProgress());
    const progress = {
      version: 2 as const,
      current: '02',
      hintTiers: { '01': { '2': 2 } },
      results: { '01': { passed: 1, total: 3 } },
    };
    writeProgress(root, progress, new Date('2025-01-01T00:00:00Z'));
    expect(readProgress(root)).toEqual(progress);
    mkdirSync(path.join(root, '.kata'), { recursive: true });
    writeFileSync(path.join(root, PROGRESS_FILE), '{ not json');
    expect(readProgress(root)).toEqual(emptyProgress());
    writeFileSync(
      path.join(root, PROGRESS_FILE),
      JSON.stringify({ version: 2, hintTiers: { '01': { '1': 9, '2': -1 } } }),
    );
    expect(readProgress(root).hintTiers).toEqual({ '01': { '1': 3 } });
    writeFileSync(
      path.join(root, PROGRESS_FILE),
      JSON.stringify({ version: 1, hintTiers: { '01': 2 }, results: { '01': { passed: 1, total: 2 } } }),
    );
    expect(readProgress(root)).toMatchObject({ hintTiers: {}, results: { '01': { passed: 1, total: 2 } } });
  });
});

describe('progress: results older than the code', () => {
  it('counts results as stale when the chapter was edited after their run, or when they keep no time', () => {
    const src = mkdtempSync(path.join(tmpdir(), 'kata-stale-'));
    writeFileSync(path.join(src, 'a.ts'), 'x');
    const edited = statSync(path.join(src, 'a.ts')).mtimeMs;
    expect(isStale(undefined, src), 'no results').toBe(true);
    expect(isStale({ passed: 1, total: 2 }, src), 'results of a run that kept no time').toBe(true);
    expect(isStale({ passed: 1, total: 2, ranAt: edited - 1000 }, src), 'a run before the edit').toBe(true);
    expect(isStale({ passed: 1, total: 2, ranAt: edited + 1000 }, src), 'a run after the edit').toBe(false);
    rmSync(src, { recursive: true, force: true });
  });
});
