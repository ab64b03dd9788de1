/**
 * Capacity planning (README, task 4): from what one machine of each tier held here (`npm run bench -- 10`)
 * and a workload, the fleet for it — the book's back-of-the-envelope method, with the README's rules.
 */

/** What one machine of each tier held in the bench. */
export interface Measured {
  webServerRps: number;
  cacheOpsPerSecond: number;
  shardWritesPerSecond: number;
  workerJobsPerSecond: number;
}

export interface Workload {
  dailyActiveUsers: number;
  requestsPerUserPerDay: number;
  uploadsPerUserPerDay: number;
  /** Stored bytes per photo in the database (its row; the image itself lives in object storage). */
  bytesPerPhoto: number;
  /** How many years of photos the shards keep. */
  years: number;
  /** The most one shard may hold. */
  bytesPerShard: number;
  dataCenters: number;
}

export interface FleetPlan {
  averageQps: number;
  peakQps: number;
  peakUploadsPerSecond: number;
  storageBytes: number;
  dataCenters: number;
  webServersPerDataCenter: number;
  cacheNodesPerDataCenter: number;
  cacheBytesPerDataCenter: number;
  shards: number;
  databaseNodes: number;
  workers: number;
}

const SECONDS_PER_DAY = 86_400;
const PEAK_FACTOR = 2;
const UTILISATION = 0.7;
const HOT_SHARE = 0.2;
const NODES_PER_SHARD = 3;

export function planFleet(measured: Measured, workload: Workload): FleetPlan {
  checkPositive({ ...measured, ...workload });
  if (!Number.isInteger(workload.dataCenters) || workload.dataCenters < 2)
    throw new Error(
      `dataCenters must be an integer of at least 2, so that one can fail (got ${workload.dataCenters})`,
    );
  const averageQps = (workload.dailyActiveUsers * workload.requestsPerUserPerDay) / SECONDS_PER_DAY;
  const peakQps = PEAK_FACTOR * averageQps;
  const peakUploadsPerSecond =
    (PEAK_FACTOR * workload.dailyActiveUsers * workload.uploadsPerUserPerDay) / SECONDS_PER_DAY;
  const storageBytes =
    workload.dailyActiveUsers * workload.uploadsPerUserPerDay * 365 * workload.years * workload.bytesPerPhoto;
  const machines = (load: number, perMachine: number) => Math.ceil(load / (perMachine * UTILISATION));
  const shards = Math.max(
    1,
    Math.ceil(storageBytes / workload.bytesPerShard),
    machines(peakUploadsPerSecond, measured.shardWritesPerSecond),
  );
  return {
    averageQps,
    peakQps,
    peakUploadsPerSecond,
    storageBytes,
    dataCenters: workload.dataCenters,
    webServersPerDataCenter: machines(peakQps, measured.webServerRps) + 1,
    cacheNodesPerDataCenter: machines(peakQps, measured.cacheOpsPerSecond) + 1,
    cacheBytesPerDataCenter: Math.ceil(HOT_SHARE * storageBytes),
    shards,
    databaseNodes: shards * NODES_PER_SHARD * workload.dataCenters,
    workers: machines(peakUploadsPerSecond, measured.workerJobsPerSecond) + 1,
  };
}

function checkPositive(figures: Record<string, number>): void {
  for (const [name, value] of Object.entries(figures))
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`${name} must be a positive number (got ${value})`);
}
