/**
 * vitest's global setup (vitest.config.ts): at the end of a test run on a real PostgreSQL server, the pool
 * databases that no process holds any more are dropped (kit/pg-server.ts), so that a run leaves none behind.
 * vitest calls it once for the run and once for each project: only the first teardown finds work.
 */
import { dropIdleDatabases } from './pg-server.js';

export default function globalSetup(): () => Promise<void> {
  return async () => {
    const url = process.env.DATABASE_URL;
    if (url) await dropIdleDatabases(url);
  };
}
