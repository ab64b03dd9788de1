/** Turns command-line words (`01`, `1`, `single-server`) into chapters of the manifest. */
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
