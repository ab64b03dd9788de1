/**
 * The interactive progress runner: keys in raw mode, a watch on the current chapter's src, one vitest
 * instance kept open (Node API). It runs the current chapter first, then the other chapters one by one in
 * the background; a save in src/ (or `r`) puts the current chapter first again. What a key does comes from
 * keys.ts; this file only does the terminal, the file watch and the runs.
 */
import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import type { TaskHints } from '../hints.js';
import { t } from '../i18n.js';
import type { KataVitest } from '../vitest-api.js';
import { taskAtHand, tiersSeen } from './hint-state.js';
import { type Effect, type KataShape, onKey, onResult, type ProgressState } from './keys.js';
import { fitScreen, renderChapter, renderTable, type ShownHint } from './render.js';
import { type ChapterInfo, resultOf } from './results.js';
import { writeProgress } from './store.js';

export interface TerminalOptions {
  root: string;
  chapters: ChapterInfo[];
  /** Chapter id → its hints, per task. */
  hints: Record<string, TaskHints[]>;
  /** Opens vitest (slow to load: the first screen comes before it). */
  openVitest: () => Promise<KataVitest>;
  state: ProgressState;
}

export function runInteractive(options: TerminalOptions): Promise<void> {
  const { root, chapters, hints } = options;
  let state = options.state;
  let vitest: KataVitest | undefined;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let running: string | undefined;
  let currentAgain = true; // the current chapter runs first
  const background = chapters.map((c) => c.id).filter((id) => id !== state.current);
  const kata: KataShape = {
    chapterIds: chapters.map((c) => c.id),
    hintTasks: Object.fromEntries(Object.entries(hints).map(([id, tasks]) => [id, tasks.map((t) => t.task)])),
  };
  const chapterOf = (id: string) => chapters.find((c) => c.id === id) ?? (chapters[0] as ChapterInfo);

  const shownHint = (): ShownHint | undefined => {
    if (!state.hintOpen) return undefined;
    const id = state.current;
    const task = taskAtHand(state.results[id], kata.hintTasks[id] ?? []);
    const data = hints[id]?.find((t) => t.task === task);
    const tier = task === undefined ? 0 : tiersSeen(state.hintTiers, id, task);
    if (!data || tier === 0) return undefined;
    return { task: data.task, title: data.title, tier, text: data.tiers[tier - 1] ?? '' };
  };

  const status = () => (running ? t('status.running', { id: running }) : vitest ? '' : t('status.loading'));
  const render = () => {
    const chapter = chapterOf(state.current);
    const rows = process.stdout.rows || 40;
    const footer = ['', t('keys.help'), status()];
    const table = renderTable(chapters, state.results, state.current, running ? [running] : []);
    const details = renderChapter(chapter, state.results[chapter.id], shownHint(), running === chapter.id);
    // The chapter view shows the table above the chapter while both fit; the chapter and its hint come first.
    const both = `${table}\n\n${details}`;
    const body =
      state.view === 'list' ? table : both.split('\n').length + footer.length < rows ? both : details;
    const screen = fitScreen(
      body,
      footer,
      rows,
      t('screen.more', { id: chapter.id }),
      process.stdout.columns || 0,
    );
    process.stdout.write(`\u001b[2J\u001b[H${screen}\n`);
  };

  const save = () =>
    writeProgress(root, {
      version: 2,
      current: state.current,
      hintTiers: state.hintTiers,
      results: state.results,
    });

  /** Runs what is due, one chapter at a time: the current chapter when asked for, else the next in line. */
  let pumping = false;
  const pump = async () => {
    if (pumping || !vitest) return;
    pumping = true;
    for (;;) {
      const id = currentAgain ? state.current : background.shift();
      if (id === undefined) break;
      if (currentAgain) currentAgain = false;
      const chapter = chapterOf(id);
      running = id;
      render();
      try {
        const result = await vitest.run([chapter.slug]);
        apply(onResult(state, id, resultOf(chapter, result)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        process.stdout.write(`\n${t('start.failed', { message })}\n`);
      }
    }
    running = undefined;
    pumping = false;
    render();
  };
  const runCurrent = () => {
    currentAgain = true;
    void pump();
  };

  const rewatch = () => {
    watcher?.close();
    const dir = path.join(root, 'chapters', chapterOf(state.current).slug, 'src');
    try {
      watcher = watch(dir, { recursive: true }, (_event, name) => {
        if (name) vitest?.invalidate(path.join(dir, name.toString()));
        clearTimeout(debounce);
        debounce = setTimeout(runCurrent, 150);
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
    await vitest?.close();
    done();
  };

  function apply(next: { state: ProgressState; effects: Effect[] }): void {
    state = next.state;
    for (const effect of next.effects) {
      if (effect === 'save') save();
      else if (effect === 'render') render();
      else if (effect === 'watch') rewatch();
      else if (effect === 'run') runCurrent();
      else if (effect === 'quit') void quit();
    }
  }

  let done = () => {};
  return new Promise((resolve) => {
    done = resolve;
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (key: string) => apply(onKey(state, key.toLowerCase(), kata)));
    process.stdin.resume();
    process.stdout.on('resize', render);
    rewatch();
    render();
    options.openVitest().then((opened) => {
      vitest = opened;
      void pump();
    });
  });
}
