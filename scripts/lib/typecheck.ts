/**
 * Type-checks the kata twice: as the learner sees it (tests compiled against each chapter's skeleton) and as
 * the reference (the same tests compiled against `solutions/<chapter>/src`, by redirecting their `../src/`
 * imports). Errors are grouped by chapter and target.
 */
import path from 'node:path';
import ts from 'typescript';
import { root } from './paths.js';

export interface TypeErrors {
  /** chapter slug → errors in its skeleton (src + tests) */
  skeleton: Map<string, string[]>;
  /** chapter slug → errors in its solution, or in its tests compiled against the solution */
  solution: Map<string, string[]>;
  /** errors in the kit, the scripts and the configuration */
  other: string[];
}

export function typecheck(): TypeErrors {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json could not be read');
  const result: TypeErrors = { skeleton: new Map(), solution: new Map(), other: [] };

  // 1. Everything as it is on disk: skeletons with their tests, solutions, kit, scripts.
  const asIs = ts.createProgram(config.fileNames, config.options);
  for (const d of ts.getPreEmitDiagnostics(asIs)) {
    const place = placeOf(d.file?.fileName);
    if (place.chapter)
      push(place.target === 'solutions' ? result.solution : result.skeleton, place.chapter, d);
    else result.other.push(format(d));
  }

  // 2. The chapters' tests again, with `../src/` meaning the solution's src.
  const tests = config.fileNames.filter((f) => /[\\/]chapters[\\/][^\\/]+[\\/]test[\\/]/.test(f));
  const host = ts.createCompilerHost(config.options);
  host.resolveModuleNames = (names, containingFile) =>
    names.map((name) => {
      const redirected = name.startsWith('../src/')
        ? containingFile.replace(/([\\/])chapters([\\/][^\\/]+[\\/]test[\\/])/, '$1solutions$2')
        : containingFile;
      return ts.resolveModuleName(name, redirected, config.options, host).resolvedModule;
    });
  const againstSolutions = ts.createProgram(tests, config.options, host, asIs);
  for (const d of ts.getPreEmitDiagnostics(againstSolutions)) {
    const place = placeOf(d.file?.fileName);
    if (place.chapter && place.target === 'chapters') push(result.solution, place.chapter, d);
  }
  return result;
}

function placeOf(file: string | undefined): { target?: string; chapter?: string } {
  if (!file) return {};
  const [target, chapter, inner] = path.relative(root, file).split(path.sep);
  if ((target === 'chapters' || target === 'solutions') && inner) return { target, chapter };
  return {};
}

function push(map: Map<string, string[]>, chapter: string, d: ts.Diagnostic): void {
  const list = map.get(chapter) ?? [];
  list.push(format(d));
  map.set(chapter, list);
}

function format(d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return text;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.relative(root, d.file.fileName)}:${line + 1}:${character + 1} ${text}`;
}
