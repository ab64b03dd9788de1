/**
 * Capacity planning. README: task 4. From what one machine of each tier held in the bench
 * (`npm run bench -- 10`) and a workload, the fleet for it, by the README's rules.
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

/** Task 4: the fleet, by the README's rules; bad figures are refused with an error naming them. */
export function planFleet(measured: Measured, workload: Workload): FleetPlan {
  throw new Error(
    `TODO (README, task 4): the fleet for ${workload.dailyActiveUsers} daily users from ${Object.keys(measured).length} measured figures`,
  );
}
