/** What a test run reports, whichever way vitest was driven: one outcome per test, and files that did not run. */

export type Target = 'chapters' | 'solutions';
export type Status = 'passed' | 'failed' | 'skipped' | 'pending';

export interface TestOutcome {
  /** The vitest project: a chapter slug, `kit` or `tooling`. */
  project: string;
  /** Relative to the root, with `/` separators. */
  file: string;
  /** Describe blocks and title, joined with " › ". */
  name: string;
  status: Status;
  /** The failure message without its stack (at most a few hundred characters), when the test failed. */
  message?: string;
  durationMs: number;
  /** Position of the test in its file, in declaration order. */
  order: number;
}

/** A test file that could not run at all (it failed to import, or a hook outside any test failed). */
export interface FileFailure {
  project: string;
  file: string;
  message: string;
}

export interface RunResult {
  tests: TestOutcome[];
  fileFailures: FileFailure[];
  /** 0 when every test passed; 1 when some failed; 2 when the run itself broke or ran out of time. */
  exitCode: number;
  durationMs: number;
  /** Set when the run was stopped at its time limit. */
  timedOut?: boolean;
  /** vitest's own output and errors, for when something went wrong before any test ran. */
  output: string;
}

/** Tests in reading order: by file name (task order, the files are numbered), then as declared. */
export function inReadingOrder(tests: TestOutcome[]): TestOutcome[] {
  return [...tests].sort((a, b) => (a.file === b.file ? a.order - b.order : a.file < b.file ? -1 : 1));
}

/** The first line of a message, for one-line reports. */
export function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0] ?? '';
}
