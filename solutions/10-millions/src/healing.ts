/**
 * Keeping the fleet at size (README, task 3): what operators automate once a service has millions of users.
 * Every tick: replace the web servers that stopped answering and the workers that died, and let a database
 * node that was down and answers again rejoin its shard as a replica.
 */
import http from 'node:http';
import type { Cluster } from '../../03-db-replication/src/cluster.js';
import type { DataCenter } from './data-center.js';
import type { WorkerHandle } from './workers.js';

export interface HealEvent {
  /** When, in ms since the epoch. */
  at: number;
  what: string;
}

export interface Fleet {
  dataCenters: DataCenter[];
  workers: WorkerHandle[];
  startWorker(): WorkerHandle;
  shards: Map<string, Cluster>;
  /** Database nodes seen down, by shard: they rejoin when they answer again. */
  nodesDown: Map<string, Set<string>>;
  events: HealEvent[];
}

/** True when nothing listens at the URL any more (a crashed server), false when it answers at all. */
function refused(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/health`, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(false);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

export async function healFleet(fleet: Fleet): Promise<void> {
  await Promise.all([replaceWebServers(fleet), replaceWorkers(fleet), rejoinNodes(fleet)]);
}

async function replaceWebServers(fleet: Fleet): Promise<void> {
  for (const dc of fleet.dataCenters.filter((d) => d.up)) {
    for (const server of dc.webServers()) {
      if (!(await refused(server.url))) continue;
      const next = await dc.replace(server.id);
      if (next) fleet.events.push({ at: Date.now(), what: `replaced web server ${server.id} by ${next.id}` });
    }
  }
}

async function replaceWorkers(fleet: Fleet): Promise<void> {
  fleet.workers.forEach((worker, i) => {
    if (worker.alive) return;
    const next = fleet.startWorker();
    fleet.workers[i] = next;
    fleet.events.push({ at: Date.now(), what: `replaced worker ${worker.id} by ${next.id}` });
  });
}

async function rejoinNodes(fleet: Fleet): Promise<void> {
  for (const [shard, cluster] of fleet.shards) {
    const down = fleet.nodesDown.get(shard) ?? new Set<string>();
    fleet.nodesDown.set(shard, down);
    for (const [node, position] of Object.entries(await cluster.positions())) {
      if (position === null) {
        down.add(node);
      } else if (down.has(node)) {
        const report = await cluster.recover(node);
        down.delete(node);
        fleet.events.push({
          at: Date.now(),
          what: `${node} rejoined shard ${shard} as a replica (${report.unreplicated.length} writes only it had)`,
        });
      }
    }
  }
}
