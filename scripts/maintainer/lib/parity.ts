/**
 * The Korean edition kept in step with the English one. A translation may word everything its own way, but
 * it keeps the structure: the same headings (level by level, task numbers included), the same tables with
 * the same number of rows, the same code blocks (diagrams may translate their labels), the same commands in
 * the text, and the same maintainer-only blocks. Hints keep the same tasks, three tiers each.
 */
import { parseHints } from '../../lib/hints.js';

export interface Shape {
  headings: string[];
  tables: number[];
  code: string[];
  commands: string[];
  maintainerBlocks: number;
}

/** The structure of a markdown document that a translation must keep. */
export function shapeOf(markdown: string): Shape {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const headings: string[] = [];
  const tables: number[] = [];
  const code: string[] = [];
  const prose: string[] = [];
  let fence: { lang: string; body: string[] } | undefined;
  let rows = 0;
  for (const line of lines) {
    if (fence) {
      if (line.startsWith('```')) {
        code.push(fence.lang === 'mermaid' ? '```mermaid' : `\`\`\`${fence.lang}\n${fence.body.join('\n')}`);
        fence = undefined;
      } else fence.body.push(line);
      continue;
    }
    if (line.startsWith('```')) {
      fence = { lang: line.slice(3).trim(), body: [] };
      continue;
    }
    if (line.startsWith('|')) rows += 1;
    else if (rows > 0) {
      tables.push(rows);
      rows = 0;
    }
    const heading = /^(#{1,6}) (?:(\d+) · )?/.exec(line);
    if (heading) headings.push(`${heading[1]}${heading[2] ? ` ${heading[2]}` : ''}`);
    else prose.push(line);
  }
  if (rows > 0) tables.push(rows);
  const commands = [...prose.join('\n').matchAll(/`((?:npm|npx|node|git|DATABASE_URL=|KATA_LANG=)[^`]*)`/g)]
    .map((m) => m[1] ?? '')
    .sort();
  return {
    headings,
    tables,
    code,
    commands: [...new Set(commands)],
    maintainerBlocks: (markdown.match(/<!-- maintainer:start -->/g) ?? []).length,
  };
}

/** How a translated document departs from the structure of its original, as sentences. */
export function readmeDrift(original: string, translation: string): string[] {
  const [a, b] = [shapeOf(original), shapeOf(translation)];
  const problems: string[] = [];
  if (a.headings.join(',') !== b.headings.join(','))
    problems.push(
      `headings differ: ${a.headings.length} (${a.headings.join(' ')}) against ${b.headings.length} (${b.headings.join(' ')})`,
    );
  if (a.tables.join(',') !== b.tables.join(','))
    problems.push(`tables differ: rows ${a.tables.join('/')} against ${b.tables.join('/')}`);
  if (a.code.length !== b.code.length) problems.push(`${a.code.length} code blocks against ${b.code.length}`);
  else
    a.code.forEach((block, i) => {
      if (block !== b.code[i])
        problems.push(`code block ${i + 1} differs: code and commands stay as they are`);
    });
  const missing = a.commands.filter((c) => !b.commands.includes(c));
  const extra = b.commands.filter((c) => !a.commands.includes(c));
  if (missing.length) problems.push(`commands missing: ${missing.map((c) => `\`${c}\``).join(', ')}`);
  if (extra.length)
    problems.push(`commands the original does not have: ${extra.map((c) => `\`${c}\``).join(', ')}`);
  if (a.maintainerBlocks !== b.maintainerBlocks)
    problems.push(`${a.maintainerBlocks} maintainer-only blocks against ${b.maintainerBlocks}`);
  return problems;
}

/** How translated hints depart from the original ones: the same tasks, three tiers each. */
export function hintsDrift(original: string, translation: string): string[] {
  const [a, b] = [parseHints(original), parseHints(translation)];
  const problems = b.problems.map((p) => `translation: ${p}`);
  const tasksA = a.tasks.map((t) => t.task).join(',');
  const tasksB = b.tasks.map((t) => t.task).join(',');
  if (tasksA !== tasksB) problems.push(`tasks differ: ${tasksA} against ${tasksB}`);
  return problems;
}

/** Message catalogs with the same keys (a translation may add chapter titles, `title.NN`). */
export function messagesDrift(
  original: Record<string, string>,
  translation: Record<string, string>,
): string[] {
  const missing = Object.keys(original).filter((k) => !(k in translation));
  const extra = Object.keys(translation).filter((k) => !(k in original) && !/^title\.\d+$/.test(k));
  return [
    ...(missing.length ? [`messages missing: ${missing.join(', ')}`] : []),
    ...(extra.length ? [`messages the original does not have: ${extra.join(', ')}`] : []),
  ];
}
