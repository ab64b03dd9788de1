/** The progress runner's state machine: a key press gives the next state and what the terminal must do. */
import type { ChapterResult } from './results.js';

export interface ProgressState {
  /** Chapter id shown and watched. */
  current: string;
  /** Chapter id → hint tiers revealed (0–3). */
  hintTiers: Record<string, number>;
  /** Chapter id → last results. */
  results: Record<string, ChapterResult>;
  view: 'chapter' | 'list';
}

/** `run`: run the current chapter's tests; `watch`: watch the current chapter's src (it changed). */
export type Effect = 'render' | 'run' | 'watch' | 'save' | 'quit';

export function onKey(
  state: ProgressState,
  key: string,
  chapterIds: string[],
): { state: ProgressState; effects: Effect[] } {
  const at = Math.max(0, chapterIds.indexOf(state.current));
  const move = (to: number) => {
    const id = chapterIds[Math.min(chapterIds.length - 1, Math.max(0, to))] ?? state.current;
    if (id === state.current)
      return { state: { ...state, view: 'chapter' as const }, effects: ['render'] as Effect[] };
    return {
      state: { ...state, current: id, view: 'chapter' as const },
      effects: ['render', 'watch', 'run', 'save'] as Effect[],
    };
  };
  switch (key) {
    case 'h': {
      const tiers = Math.min(3, (state.hintTiers[state.current] ?? 0) + 1);
      return {
        state: { ...state, view: 'chapter', hintTiers: { ...state.hintTiers, [state.current]: tiers } },
        effects: ['render', 'save'],
      };
    }
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

/** A finished run of one chapter: store its result and show it. */
export function onResult(
  state: ProgressState,
  id: string,
  result: ChapterResult,
): { state: ProgressState; effects: Effect[] } {
  return { state: { ...state, results: { ...state.results, [id]: result } }, effects: ['render', 'save'] };
}
