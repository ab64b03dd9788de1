/**
 * "Which database to use?" — the book's decision, as a function.
 * Relational is the default; NoSQL is worth it when one of the book's four reasons applies and the
 * application does not need joins (non-relational stores generally do not support them).
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
  const reasons: string[] = [];
  if (workload.latencyBudgetMs < VERY_LOW_LATENCY_MS) reasons.push('very low latency is required');
  if (workload.unstructured) reasons.push('the data is unstructured');
  if (workload.onlySerialises) reasons.push('the application only serialises and deserialises data');
  if (workload.volumeTB >= MASSIVE_VOLUME_TB) reasons.push('a massive amount of data must be stored');
  if (workload.needsJoins) {
    return { kind: 'relational', reasons: ['the data is relational and the queries join tables'] };
  }
  if (reasons.length > 0) return { kind: 'nosql', reasons };
  return { kind: 'relational', reasons: ['no reason to leave the well-proven default'] };
}
