/**
 * One task at a time: the reference solution "taken up to task k".
 *
 * The skeleton says which task each operation belongs to: every stub throws
 * `new Error('TODO (README, task N): …')` inside the function, method or arrow function that the learner
 * writes for task N. Stage k is the solution with every function whose skeleton stub belongs to a later task
 * turned back into a stub (same name, same file). The tests of tasks 1..k must pass on it: that is what a
 * learner sees who has done tasks 1..k and not yet the rest.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One stub of the skeleton: the function that throws, and the task(s) its message names. */
export interface Stub {
  /** Relative to the chapter's src/, with `/` separators. */
  file: string;
  /** The innermost named function around the throw: a function, method, property or variable name. */
  name: string;
  tasks: number[];
  line: number;
}

const TODO = /TODO \(README, tasks? ([^)]*)\)/;

/** The tasks a stub message names: `task 2` → [2]; `tasks 1–3` → [1, 2, 3]; `tasks 1 and 2` → [1, 2]. */
export function tasksNamed(text: string): number[] {
  const match = TODO.exec(text);
  if (!match?.[1]) return [];
  const words = match[1];
  const range = /(\d+)\s*[–-]\s*(\d+)/.exec(words);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  return [...words.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** Every stub in a skeleton's src folder. */
export function stubsOf(srcDir: string): Stub[] {
  const stubs: Stub[] = [];
  for (const file of sourceFiles(srcDir)) {
    const source = parse(path.join(srcDir, file));
    const visit = (node: ts.Node) => {
      if (ts.isThrowStatement(node)) {
        const tasks = tasksNamed(node.expression.getText(source));
        const fn = enclosingFunction(node);
        const name = fn && nameOf(fn);
        if (tasks.length > 0 && name) {
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
          stubs.push({ file, name, tasks, line });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return stubs;
}

/** The task a stub belongs to; a stub that names several tasks belongs to the first (and is reported). */
export function taskOf(stub: Stub): number {
  return Math.min(...stub.tasks);
}

/** What breaks the one-task-at-a-time rule in a skeleton, as sentences. */
export function stubProblems(stubs: Stub[], solutionDir: string): string[] {
  const problems: string[] = [];
  for (const stub of stubs) {
    const where = `src/${stub.file}:${stub.line} ${stub.name}()`;
    if (stub.tasks.length > 1)
      problems.push(
        `${where} is one stub for tasks ${stub.tasks.join(', ')}: split it per operation, one task each`,
      );
    const solution = path.join(solutionDir, stub.file);
    if (!existsSync(solution)) problems.push(`${where}: the solution has no ${stub.file}`);
    else if (functionsNamed(parse(solution), stub.name).length === 0)
      problems.push(`${where}: the solution's ${stub.file} has no function named ${stub.name}`);
  }
  return problems;
}

/**
 * Writes stage k of a chapter into `outDir`: the solution's files, with every function whose skeleton stub
 * belongs to a task after k replaced by a stub that throws.
 */
export function writeStage(solutionDir: string, stubs: Stub[], k: number, outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(solutionDir, outDir, { recursive: true });
  const later = stubs.filter((s) => taskOf(s) > k);
  for (const file of new Set(later.map((s) => s.file))) {
    const target = path.join(outDir, file);
    if (!existsSync(target)) continue;
    const stubbed = later.filter((s) => s.file === file);
    writeFileSync(target, stubOut(readFileSync(target, 'utf8'), file, stubbed));
  }
}

/** The source text with the bodies of the named functions replaced by a throw naming their task. */
export function stubOut(text: string, file: string, stubs: Stub[]): string {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const stub of stubs) {
    for (const fn of functionsNamed(source, stub.name)) {
      if (!fn.body) continue;
      const message = `TODO (README, task ${taskOf(stub)}): ${stub.name} (not yet written at this stage)`;
      edits.push({
        start: fn.body.getStart(source),
        end: fn.body.getEnd(),
        text: `{ throw new Error(${JSON.stringify(message)}); }`,
      });
    }
  }
  // Outermost first; an edit inside another is dropped (its function is gone already).
  edits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: typeof edits = [];
  for (const edit of edits) {
    const last = kept.at(-1);
    if (!last || edit.start >= last.end) kept.push(edit);
  }
  let out = text;
  for (const edit of kept.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The tasks of a chapter, from its numbered test files (`3-api.test.ts` is task 3). */
export function testTasks(testDir: string): Map<number, string[]> {
  const tasks = new Map<number, string[]>();
  for (const file of readdirSync(testDir).sort()) {
    const match = /^(\d+)-.*\.test\.ts$/.exec(file);
    if (!match) continue;
    const task = Number(match[1]);
    tasks.set(task, [...(tasks.get(task) ?? []), file]);
  }
  return tasks;
}

type FunctionLike = ts.FunctionLikeDeclaration;

function functionsNamed(source: ts.SourceFile, name: string): FunctionLike[] {
  const found: FunctionLike[] = [];
  const visit = (node: ts.Node) => {
    if (isFunctionLike(node) && nameOf(node) === name) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (isFunctionLike(n) && nameOf(n)) return n;
  }
  return undefined;
}

function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isConstructorDeclaration(node)
  );
}

/** A function's own name, or the name of the property or variable it is assigned to. */
function nameOf(fn: FunctionLike): string | undefined {
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if ((ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent)) && ts.isIdentifier(parent.name))
    return parent.name.text;
  if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
}

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return sourceFiles(dir, rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}
