/** `npm run hint -- 01 [1|2|3]`: one tier of a chapter's hints (1 a nudge, 2 the approach, 3 nearly the solution). */
import { chaptersFrom } from './lib/chapter-args.js';

const [word = '01', tierWord = '1'] = process.argv.slice(2);
const [chapter] = chaptersFrom([word]);
const tier = Number(tierWord);
if (!chapter || ![1, 2, 3].includes(tier)) {
  console.error('usage: npm run hint -- <chapter> [1|2|3]');
  process.exit(2);
}
const titles = ['a nudge', 'the approach', 'nearly the solution'];
const texts = [chapter.hints.nudge, chapter.hints.approach, chapter.hints.solution];
console.log(`Chapter ${chapter.id}, hint ${tier} of 3: ${titles[tier - 1]}\n`);
console.log(texts[tier - 1]);
if (tier < 3) console.log(`\nStill stuck? npm run hint -- ${chapter.id} ${tier + 1}`);
