/**
 * Task 3 — staying up. The system keeps itself at size (killed web servers and workers replaced, a stopped
 * node back as a replica), and then keeps its SLO under the seeded load while the nemesis breaks it.
 */
import { describe, expect, it } from 'vitest';
import { pause, step, until } from '#kit/wait';
import { drawSchedule, NEMESIS_USER, runNemesis } from './chaos.js';
import { checkHistory, type Fault, type Final, idOf, type Op, photoKey, SLO } from './history.js';
import { describeSeen, LIMITS, startLab } from './lab.js';
import { perform, regionOf, runLoad } from './load.js';
import { type Sample, seriesOf, writeReport } from './report.js';

const SEED = Number(process.env.KATA_SEED ?? 1001);
const LOAD_MS = 8000;
const USERS = 16;
const HEAL_WITHIN = 10 * LIMITS.healIntervalMs + 3000;

describe('Staying up: healing, and the SLO under load and chaos', () => {
  it('replaces killed web servers and workers, and lets a stopped primary rejoin its shard as a replica', async () => {
    const lab = await startLab();
    const { system } = lab;
    const before = system.describe();
    const victim = before.dataCenters[1]?.webServers[0]?.id ?? '';
    await system.kill(victim);
    await until(
      () => {
        const servers = system.describe().dataCenters[1]?.webServers.map((w) => w.id) ?? [];
        return servers.length === 2 && !servers.includes(victim);
      },
      HEAL_WITHIN,
      () =>
        `web server ${victim} was killed: the system must start a new one in its place by itself (describe() shows ${JSON.stringify(system.describe().dataCenters[1]?.webServers.map((w) => w.id))})`,
      50,
    );
    const worker = before.workers[0] ?? '';
    await system.kill(worker);
    await until(
      () => system.describe().workers.length === 2 && !system.describe().workers.includes(worker),
      HEAL_WITHIN,
      () =>
        `worker ${worker} was killed: the system must start a new worker in its place (workers now ${JSON.stringify(system.describe().workers)})`,
      50,
    );
    const client = lab.client(regionOf(7));
    const login = await step('POST /login', client.call('POST', '/login', { user: 7 }));
    expect(login.reply?.status, `POST /login: ${describeSeen(login)}`).toBe(200);
    const shard = system.shardOf(7);
    const first = system.describe().shards.find((s) => s.name === shard)?.primary ?? '';
    await lab.nodes[first]?.stop();
    await until(
      async () => (await client.call('POST', '/photos', { title: 'during failover' })).reply?.status === 201,
      5000,
      `an upload to shard ${shard} to be acknowledged again after its primary ${first} stopped`,
      100,
    );
    // The replica is down until a heal round has seen it so.
    await pause(2 * LIMITS.healIntervalMs);
    await lab.nodes[first]?.start();
    let positions: Record<string, number | null> = {};
    await until(
      async () => {
        positions = (await system.status()).replication[shard] ?? {};
        const at = positions[first];
        return typeof at === 'number' && Object.values(positions).every((p) => p === at);
      },
      HEAL_WITHIN,
      () =>
        `${first} was the primary of ${shard}, stopped, and started again: the system must let it rejoin as a replica and catch up with the others (status().replication.${shard} is ${JSON.stringify(positions)})`,
      100,
    );
    const events = (await system.status()).healed.map((e) => e.what).join(' | ');
    for (const name of [victim, worker, first])
      expect(events, `status().healed tells what the system did by itself, naming ${name}`).toContain(name);
  });

  it(`keeps its SLO under seeded load and chaos (seed ${SEED}; replay with KATA_SEED=${SEED})`, async () => {
    const lab = await startLab({ workers: 2, workMs: 40 });
    const { system } = lab;
    const schedule = drawSchedule(SEED, LOAD_MS);
    expect(drawSchedule(SEED, LOAD_MS), 'the same seed draws the same fault schedule').toEqual(schedule);
    const replay = `KATA_SEED=${SEED} npm test -- 10 -t "keeps its SLO"`;
    console.log(`chapter 10 chaos run: seed ${SEED}. Replay: ${replay}`);
    const topology = system.describe();
    const history: Op[] = [];
    const samples: Sample[] = [];
    const startedAt = Date.now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const status = await system.status().catch(() => undefined);
        if (status) samples.push({ t: Date.now() - startedAt, status });
        await pause(250);
      }
    })();
    const [clients, faults] = await step(
      'the load and the nemesis run to their end',
      Promise.all([
        runLoad(lab, history, { seed: SEED, users: USERS, endAt: LOAD_MS, startedAt }),
        runNemesis(lab, schedule, history, startedAt),
      ]),
    );
    const final = await drain(lab, history, clients, startedAt, faults);
    sampling = false;
    await sampler;
    const { violations, figures } = checkHistory(history, faults, final);
    const page = writeReport({
      seed: SEED,
      replay,
      topology,
      schedule,
      faults,
      figures,
      violations,
      series: seriesOf(history, samples),
    });
    console.log(`chapter 10 report: ${page}`);
    expect(
      violations.length,
      `seed ${SEED}: the history of ${figures.requests} requests under ${faults.length} faults breaks the README's guarantees:\n${violations.map((v) => `  - ${v.rule}: ${v.message}`).join('\n')}\nReport: ${page}\nReplay: ${replay}\n`,
    ).toBe(0);
    expect(figures.uploadsAcknowledged, 'the run acknowledged uploads to judge').toBeGreaterThan(0);
    expect(faults.map((f) => f.kind).sort(), 'every kind of fault was played').toEqual(
      schedule.map((p) => p.kind).sort(),
    );
    expect(
      figures.availability,
      `availability outside the failover windows (SLO ${SLO.availability})`,
    ).toBeGreaterThanOrEqual(SLO.availability);
  });
});

/**
 * After the load: every fault is over; wait until the fleet is whole and the queue has processed every
 * acknowledged upload (or the time is up), then read every user's own list and album.
 */
async function drain(
  lab: Awaited<ReturnType<typeof startLab>>,
  history: Op[],
  clients: Map<number, ReturnType<typeof lab.client>>,
  startedAt: number,
  faults: Fault[],
): Promise<Final> {
  const users = [...clients.keys(), NEMESIS_USER];
  const clientOf = (user: number) => clients.get(user) ?? lab.client(regionOf(user));
  const nemesisClient = lab.client('us-east');
  await perform(nemesisClient, [], startedAt, NEMESIS_USER, 'login');
  // A witness first: another user reads user 1's list (it may be cached now), then user 1 uploads; the
  // final reads below, at least the lag bound later, must show the photo.
  await perform(nemesisClient, history, startedAt, NEMESIS_USER, 'browse', 1);
  const witness = await perform(clientOf(1), history, startedAt, 1, 'upload');
  const acked = history.filter((o) => o.kind === 'upload' && o.photo);
  const albums = new Map<number, string[]>();
  const readAlbums = async () => {
    for (const user of users) {
      const seen = await clientOf(user).call('GET', `/users/${user}/album`);
      if (seen.reply?.status === 200) albums.set(user, (seen.reply.json() as { photos: string[] }).photos);
    }
    return acked.every((o) => (albums.get(o.user) ?? []).includes(idOf(o.photo as string)));
  };
  await until(
    readAlbums,
    15_000,
    'the workers to process every acknowledged upload after the run',
    200,
  ).catch(() => 0);
  await pause(LIMITS.visibilityTimeoutMs);
  await readAlbums();
  const own = new Map<number, string[]>();
  for (const user of users) {
    const client = user === NEMESIS_USER ? nemesisClient : clientOf(user);
    const seen = await client.call('GET', `/users/${user}/photos`);
    own.set(
      user,
      seen.reply?.status === 200 ? (seen.reply.json() as { id: string; title: string }[]).map(photoKey) : [],
    );
  }
  // And every list once more as another user sees it, once the last fault's window and lag are over: the
  // checker holds these reads to the README's bound.
  const quietAt = Math.max(
    witness.completedAt + SLO.othersLagMs,
    ...faults.map((f) => f.endAt + SLO.windowMs + SLO.othersLagMs),
  );
  await pause(Math.max(0, quietAt - (Date.now() - startedAt)) + 100);
  for (const user of users)
    await perform(
      user === NEMESIS_USER ? clientOf(1) : nemesisClient,
      history,
      startedAt,
      user === NEMESIS_USER ? 1 : NEMESIS_USER,
      'browse',
      user,
    );
  return { own, albums, at: Date.now() - startedAt };
}
