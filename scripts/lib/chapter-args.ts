/** Turns command-line words (`01`, `1`, `single-server`) into chapters of the manifest. */
import { parseArgs } from 'node:util';
import { type Chapter, chapters, findChapter } from '../../chapters/manifest.js';

export function chaptersFrom(words: string[]): Chapter[] {
  if (words.length === 0) return chapters;
  return words.map((word) => {
    const chapter = findChapter(word);
    if (!chapter) {
      console.error(`No chapter "${word}". The chapters are:`);
      for (const c of chapters) console.error(`  ${c.id}  ${c.slug}`);
      process.exit(2);
    }
    return chapter;
  });
}

/**
 * Splits a command line between this kata and vitest: the options named in `own` (parsed by node:util
 * parseArgs), the words that name chapters, and everything else, in order, for vitest
 * (`01 --reporter verbose -t NXDOMAIN` → chapter 01; `--reporter verbose -t NXDOMAIN` to vitest). A word
 * right after one of vitest's options is that option's value, so chapters come first.
 */
export function splitArgs(
  args: string[],
  own: Record<string, { type: 'boolean' | 'string' }>,
): { values: Record<string, string | boolean | undefined>; chapters: string[]; rest: string[] } {
  const { tokens } = parseArgs({ args, options: own, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean | undefined> = {};
  const words: string[] = [];
  const rest: string[] = [];
  let awaiting: 'own' | 'other' | undefined;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'option') {
      const spec = own[token.name];
      if (spec) {
        values[token.name] = spec.type === 'boolean' ? true : token.value;
        awaiting = undefined;
      } else {
        rest.push(token.rawName + (token.inlineValue ? `=${token.value}` : ''));
        awaiting = token.inlineValue ? undefined : 'other';
      }
      continue;
    }
    // A word right after an option of vitest's is that option's value (`--bail 1`): name chapters first.
    if (findChapter(token.value) && awaiting !== 'other') words.push(token.value);
    else rest.push(token.value);
    awaiting = undefined;
  }
  return { values, chapters: words, rest };
}
