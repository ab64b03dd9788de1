/**
 * The nemesis: faults drawn from the seed and played during the load. The same seed draws the same
 * schedule, so a run that failed can be replayed.
 */
import { seededRandom } from '#kit/random';
import { pause, until } from '#kit/wait';
import type { Fault, FaultKind, Op } from './history.js';
import type { Lab } from './lab.js';
import { perform } from './load.js';

export interface Planned {
  kind: FaultKind;
  /** When it starts, in ms since the run started. */
  at: number;
  /** How long it lasts (0 for a kill). */
  lastsMs: number;
  /** A seeded number that picks its target. */
  pick: number;
}

const LASTS: Record<FaultKind, number> = {
  'kill-web': 0,
  'stop-primary': 1500,
  'lose-cache': 1000,
  'dc-down': 1500,
  'kill-worker': 0,
};

/** The fault schedule of a seed: every kind of fault, in a seeded order, one at a time. */
export function drawSchedule(seed: number, loadMs: number): Planned[] {
  const random = seededRandom(seed);
  const kinds: FaultKind[] = [
    'kill-web',
    'kill-web',
    'stop-primary',
    'lose-cache',
    'dc-down',
    'kill-worker',
    'kill-worker',
  ];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as FaultKind, kinds[i] as FaultKind];
  }
  const slot = (loadMs - 1000) / kinds.length;
  return kinds.map((kind, i) => ({
    kind,
    at: Math.round(600 + i * slot + random() * Math.max(0, slot - LASTS[kind] - 200) * 0.5),
    lastsMs: LASTS[kind],
    pick: random(),
  }));
}

/** The user the nemesis acts as: it uploads a photo and stops the primary of its shard right after. */
export const NEMESIS_USER = 1001;

export async function runNemesis(
  lab: Lab,
  schedule: Planned[],
  history: Op[],
  startedAt: number,
): Promise<Fault[]> {
  const faults: Fault[] = [];
  const now = () => Date.now() - startedAt;
  const client = lab.client('us-east');
  await perform(client, history, startedAt, NEMESIS_USER, 'login');
  for (const planned of schedule) {
    await pause(Math.max(0, planned.at - now()));
    faults.push(await play(lab, planned, { client, history, startedAt, now }));
  }
  return faults;
}

interface Context {
  client: ReturnType<Lab['client']>;
  history: Op[];
  startedAt: number;
  now(): number;
}

async function play(lab: Lab, planned: Planned, ctx: Context): Promise<Fault> {
  const { system } = lab;
  const choose = <T>(list: T[]): T => list[Math.floor(planned.pick * list.length)] as T;
  switch (planned.kind) {
    case 'kill-web': {
      const servers = system
        .describe()
        .dataCenters.filter((d) => d.up)
        .flatMap((d) => d.webServers);
      const victim = choose(servers);
      const at = ctx.now();
      await system.kill(victim.id);
      return { kind: 'kill-web', target: victim.id, at, endAt: at };
    }
    case 'stop-primary': {
      const upload = await perform(ctx.client, ctx.history, ctx.startedAt, NEMESIS_USER, 'upload');
      const shard = system.shardOf(NEMESIS_USER);
      const primary = system.describe().shards.find((s) => s.name === shard)?.primary ?? '';
      const node = lab.nodes[primary];
      const at = ctx.now();
      await node?.stop();
      await pause(planned.lastsMs);
      await node?.start();
      const note = upload.photo
        ? `right after photo ${upload.photo} was acknowledged`
        : 'after an upload that failed';
      return { kind: 'stop-primary', target: `shard ${shard} (${primary})`, at, endAt: ctx.now(), note };
    }
    case 'lose-cache': {
      const at = ctx.now();
      lab.stores.cache.stop();
      await pause(planned.lastsMs);
      lab.stores.cache.start();
      for (const { key } of await lab.stores.cache.keys()) await lab.stores.cache.client.del(key);
      return { kind: 'lose-cache', target: 'cache', at, endAt: ctx.now(), note: 'down, then back empty' };
    }
    case 'dc-down': {
      const dc = choose(system.describe().dataCenters.map((d) => d.id));
      const at = ctx.now();
      await system.takeDown(dc);
      await pause(planned.lastsMs);
      await system.bringUp(dc);
      return { kind: 'dc-down', target: dc, at, endAt: ctx.now() };
    }
    case 'kill-worker': {
      const busy = () => {
        const live = system.describe().workers;
        return lab.work.inHand.find((job) => live.includes(job.worker))?.worker;
      };
      await until(() => busy() !== undefined, 1000, 'a live worker with a job in hand').catch(() => 0);
      const victim = busy() ?? choose(system.describe().workers);
      const midJob = busy() === victim;
      const at = ctx.now();
      await system.kill(victim);
      return { kind: 'kill-worker', target: victim, at, endAt: at, note: midJob ? 'mid-job' : 'idle' };
    }
  }
}
