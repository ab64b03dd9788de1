/** The progress runner's state machine: a key press gives the next state and what the terminal must do. */
import { revealNext, taskAtHand, tiersSeen } from './hint-state.js';
import type { ChapterResult } from './results.js';
import type { HintTiers } from './store.js';

export interface ProgressState {
  /** Chapter id shown and watched. */
  current: string;
  /** Chapter id → task → hint tiers revealed (0–3). */
  hintTiers: HintTiers;
  /** The hint of the task at hand is on screen (`h` opens it, `c` closes it). */
  hintOpen: boolean;
  /** Chapter id → last results. */
  results: Record<string, ChapterResult>;
  view: 'chapter' | 'list';
}

/** What the state machine needs to know of the kata: the chapters in order, and the tasks with hints. */
export interface KataShape {
  chapterIds: string[];
  /** Chapter id → the task numbers that have hints. */
  hintTasks: Record<string, number[]>;
}

/** `run`: run the current chapter's tests; `watch`: watch the current chapter's src (it changed). */
export type Effect = 'render' | 'run' | 'watch' | 'save' | 'quit';

type Step = { state: ProgressState; effects: Effect[] };

export function onKey(state: ProgressState, key: string, kata: KataShape): Step {
  const ids = kata.chapterIds;
  const at = Math.max(0, ids.indexOf(state.current));
  const move = (to: number): Step => {
    const id = ids[Math.min(ids.length - 1, Math.max(0, to))] ?? state.current;
    if (id === state.current) return { state: { ...state, view: 'chapter' }, effects: ['render'] };
    return {
      state: { ...state, current: id, view: 'chapter', hintOpen: false },
      effects: ['render', 'watch', 'run', 'save'],
    };
  };
  switch (key) {
    case 'h':
      return hint(state, kata);
    case 'c':
      return { state: { ...state, hintOpen: false }, effects: ['render'] };
    case 'n':
      return move(at + 1);
    case 'p':
      return move(at - 1);
    case 'l':
      return { state: { ...state, view: state.view === 'list' ? 'chapter' : 'list' }, effects: ['render'] };
    case 'r':
      return { state: { ...state, view: 'chapter' }, effects: ['run'] };
    case 'q':
    case '\u0003': // Ctrl-C
    case '\u0004': // Ctrl-D
      return { state, effects: ['save', 'quit'] };
    default:
      return { state, effects: [] };
  }
}

/**
 * `h`: the hints of the task whose test fails first. A closed hint that was read before opens again as it
 * was; an open one (or a first one) shows the next tier, up to three.
 */
function hint(state: ProgressState, kata: KataShape): Step {
  const chapter = state.current;
  const task = taskAtHand(state.results[chapter], kata.hintTasks[chapter] ?? []);
  if (task === undefined) return { state: { ...state, view: 'chapter' }, effects: ['render'] };
  const seen = tiersSeen(state.hintTiers, chapter, task);
  const reopen = !state.hintOpen && seen > 0;
  const hintTiers = reopen ? state.hintTiers : revealNext(state.hintTiers, chapter, task);
  return { state: { ...state, view: 'chapter', hintOpen: true, hintTiers }, effects: ['render', 'save'] };
}

/** A finished run of one chapter: store its result and show it. */
export function onResult(state: ProgressState, id: string, result: ChapterResult): Step {
  return { state: { ...state, results: { ...state.results, [id]: result } }, effects: ['render', 'save'] };
}
