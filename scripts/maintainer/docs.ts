/** `npm run docs`: writes each chapter README's hints block from the manifest. */
import { readFileSync, writeFileSync } from 'node:fs';
import { chapters } from '../../chapters/manifest.js';
import { readmePath, withHints } from './lib/docs.js';

for (const chapter of chapters) {
  const file = readmePath(chapter);
  const before = readFileSync(file, 'utf8');
  const after = withHints(before, chapter);
  if (after !== before) writeFileSync(file, after);
  console.log(`${after === before ? 'unchanged' : 'updated  '} chapters/${chapter.slug}/README.md`);
}
