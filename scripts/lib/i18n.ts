/**
 * The runner's own words in the learner's language: English, or Korean when `KATA_LANG=ko` is set or the
 * locale is Korean (`LANG=ko_KR…`, LC_ALL, LC_MESSAGES). The messages are data (scripts/lib/messages/*.json,
 * the same keys in each); the chapters' titles in Korean come from the same file's `title.NN` keys.
 */
import { readFileSync } from 'node:fs';

export type Language = 'en' | 'ko';
export const LANGUAGES: Language[] = ['en', 'ko'];

export function languageOf(env: NodeJS.ProcessEnv = process.env): Language {
  const chosen = env.KATA_LANG?.toLowerCase();
  if (chosen === 'ko' || chosen === 'en') return chosen;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function messagesOf(language: Language): Record<string, string> {
  return JSON.parse(readFileSync(new URL(`./messages/${language}.json`, import.meta.url), 'utf8'));
}

let language = languageOf();
let messages = messagesOf(language);

/** Switches the language of t() (tests, or a command-line choice). */
export function useLanguage(next: Language): void {
  language = next;
  messages = messagesOf(next);
}

export function currentLanguage(): Language {
  return language;
}

/** A message with its `{name}` parts filled in; the English one where this language lacks it. */
export function t(key: string, values: Record<string, string | number> = {}): string {
  const text = messages[key] ?? messagesOf('en')[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A chapter's title in the learner's language. */
export function titleOf(chapter: { id: string; title: string }): string {
  return messages[`title.${chapter.id}`] ?? chapter.title;
}
