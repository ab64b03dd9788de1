/**
 * "Which database to use?" — the book's decision, as a function. README: task 4.
 */

export interface Workload {
  summary: string;
  /** Entities that refer to each other, and queries that join them (users ⋈ photos ⋈ follows). */
  needsJoins: boolean;
  /** The latency the application must answer within, in milliseconds. */
  latencyBudgetMs: number;
  /** The data has no fixed shape: free-form documents, payloads that differ record by record. */
  unstructured: boolean;
  /** The application only stores and loads whole values by key: it merely (de)serialises JSON, XML, YAML… */
  onlySerialises: boolean;
  /** How much data must be kept, in terabytes. */
  volumeTB: number;
}

export type DatabaseKind = 'relational' | 'nosql';

export interface Decision {
  kind: DatabaseKind;
  /** The book's reasons that applied, in plain words. */
  reasons: string[];
}

/** Below this, a latency budget is "very low" in the book's sense. */
export const VERY_LOW_LATENCY_MS = 5;
/** From this, a volume is "massive" in the book's sense. */
export const MASSIVE_VOLUME_TB = 100;

export function chooseDatabase(workload: Workload): Decision {
  throw new Error(`TODO (README, task 4): relational or NoSQL for "${workload.summary}"?`);
}
