/**
 * The interactive progress runner: keys in raw mode, a watch on the current chapter's src, one vitest
 * instance kept open (Node API) that reruns the current chapter on save. Everything it decides comes from
 * keys.ts; this file only does the terminal, the file watch and the runs.
 */
import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import type { KataVitest } from '../vitest-api.js';
import { type Effect, onKey, onResult, type ProgressState } from './keys.js';
import { type ChapterWithHints, KEYS_HELP, renderChapter, renderTable } from './render.js';
import { resultOf } from './results.js';
import { writeProgress } from './store.js';

export interface TerminalOptions {
  root: string;
  chapters: ChapterWithHints[];
  vitest: KataVitest;
  state: ProgressState;
}

export function runInteractive({ root, chapters, vitest, state: initial }: TerminalOptions): Promise<void> {
  let state = initial;
  let watcher: FSWatcher | undefined;
  let running = false;
  let again = false;
  let debounce: NodeJS.Timeout | undefined;
  const ids = chapters.map((c) => c.id);
  const chapterOf = (id: string) => chapters.find((c) => c.id === id) ?? (chapters[0] as ChapterWithHints);

  const render = () => {
    const chapter = chapterOf(state.current);
    const body =
      state.view === 'list'
        ? renderTable(chapters, state.results, state.current)
        : renderChapter(chapter, state.results[chapter.id], state.hintTiers[chapter.id] ?? 0);
    const status = running ? 'running the tests…' : '';
    process.stdout.write(`\u001b[2J\u001b[H${body}\n\n${KEYS_HELP}\n${status}\n`);
  };

  const save = () => {
    writeProgress(root, {
      version: 1,
      current: state.current,
      hintTiers: state.hintTiers,
      results: state.results,
    });
  };

  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    render();
    const chapter = chapterOf(state.current);
    try {
      const result = await vitest.run([chapter.slug]);
      apply(onResult(state, chapter.id, resultOf(chapter, result)));
    } catch (error) {
      process.stdout.write(
        `\nthe test run failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      await run();
    } else render();
  };

  const rewatch = () => {
    watcher?.close();
    const dir = path.join(root, 'chapters', chapterOf(state.current).slug, 'src');
    try {
      watcher = watch(dir, { recursive: true }, (_event, name) => {
        if (name) vitest.invalidate(path.join(dir, name.toString()));
        clearTimeout(debounce);
        debounce = setTimeout(() => void run(), 150);
      });
    } catch {
      watcher = undefined; // no src/ to watch: r still reruns
    }
  };

  const quit = async () => {
    watcher?.close();
    clearTimeout(debounce);
    process.stdin.setRawMode(false);
    process.stdin.pause();
    process.stdout.write('\n');
    await vitest.close();
    done();
  };

  function apply(next: { state: ProgressState; effects: Effect[] }): void {
    state = next.state;
    for (const effect of next.effects) {
      if (effect === 'save') save();
      else if (effect === 'render') render();
      else if (effect === 'watch') rewatch();
      else if (effect === 'run') void run();
      else if (effect === 'quit') void quit();
    }
  }

  let done = () => {};
  return new Promise((resolve) => {
    done = resolve;
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (key: string) => apply(onKey(state, key.toLowerCase(), ids)));
    process.stdin.resume();
    rewatch();
    render();
  });
}
