/**
 * Task 1 — one config, one system. Clients find the service through geoDNS, reach their region's data
 * center through its load balancer, and log in on any web server; the system describes itself, and its
 * faults and its close() are real.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { resolve } from '#kit/dns';
import { step, until } from '#kit/wait';
import { startSystem } from '../src/system.js';
import { bodyOf, type Client, describeSeen, LIMITS, NAME, REGIONS, type RegionId, startLab } from './lab.js';

/** True when nothing listens at the URL's port on 127.0.0.1. */
function refuses(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((done) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(true));
  });
}

/** Waits until geoDNS sends the client's region to `dataCenter`, within a few health-check rounds. */
function dnsSends(client: Client, dataCenter: string, when: string): Promise<number> {
  return until(
    async () => (await client.resolveDataCenter()) === dataCenter,
    5 * LIMITS.healthIntervalMs + 3000,
    `geoDNS to send ${client.region} clients to ${dataCenter} ${when}`,
    50,
  );
}

describe('Composition: one config, one running system', () => {
  it('answers each region through geoDNS and that region’s load balancer, and logs a user in on any web server', async () => {
    const { system, client } = await startLab();
    const topology = system.describe();
    expect(
      topology.dataCenters.map((dc) => [dc.id, dc.address, dc.webServers.length]),
      'describe() lists every data center of the config with its public address and its web servers',
    ).toEqual([
      ['us-east', REGIONS['us-east'].address, 2],
      ['eu-west', REGIONS['eu-west'].address, 2],
    ]);
    expect(topology.dns.name, 'describe().dns.name is the name clients resolve: api.<zone>').toBe(NAME);
    expect(
      topology.shards.map((s) => [s.name, s.nodes.length]),
      'describe() lists every shard with its nodes',
    ).toEqual([
      ['s1', 3],
      ['s2', 3],
    ]);
    expect(topology.workers, 'describe().workers: one id per running worker').toHaveLength(2);
    for (const region of Object.keys(REGIONS) as RegionId[]) {
      const alice = client(region);
      expect(
        await step(`geoDNS answers ${NAME} for a client in ${region}`, alice.resolveDataCenter()),
        `a client in ${REGIONS[region].subnet} is sent to its own region's data center (geoDNS, chapter 06)`,
      ).toBe(region);
      const login = await step(
        'POST /login through the load balancer',
        alice.call('POST', '/login', { user: 7 }),
      );
      expect(login.reply?.status, `POST /login { user: 7 } in ${region}: ${describeSeen(login)}`).toBe(200);
      const expected = topology.dataCenters.find((d) => d.id === region)?.webServers.map((w) => w.id) ?? [];
      const servers = new Set<string>();
      // Round robin alternates; on a busy machine a server may miss a health check and sit out a round.
      await until(
        async () => {
          const me = await step('GET /me', alice.call('GET', '/me'));
          expect(me.reply?.status, `GET /me after logging in (${region}): ${describeSeen(me)}`).toBe(200);
          expect(
            me.reply?.json(),
            'GET /me answers { user, server }: the id of the user the session belongs to, as a number',
          ).toMatchObject({ user: 7 });
          servers.add(bodyOf<{ server: string }>(me).server);
          return expected.every((id) => servers.has(id));
        },
        5000,
        () =>
          `GET /me in ${region} to be spread by its load balancer over both of its web servers (round robin, chapter 02), each answering with its id from describe(): ${JSON.stringify(expected)}; answered by ${JSON.stringify([...servers])}`,
        0,
      );
      expect(
        [...servers].sort(),
        `the servers that answered in ${region} are the ones describe() lists`,
      ).toEqual([...expected].sort());
    }
  });

  it('keeps a user logged in when the web server that logged them in dies, and when their whole data center goes down', async () => {
    const { system, client } = await startLab();
    const bob = client('us-east');
    const login = await step('POST /login', bob.call('POST', '/login', { user: 42 }));
    expect(login.reply?.status, `POST /login { user: 42 }: ${describeSeen(login)}`).toBe(200);
    const server = bodyOf<{ server: string }>(login).server;
    await step(`system.kill("${server}")`, system.kill(server));
    for (let i = 0; i < 4; i++) {
      const me = await step('GET /me after the kill', bob.call('GET', '/me'));
      expect(
        me.reply?.status,
        `GET /me after web server ${server}, which logged user 42 in, was killed: ${describeSeen(me)} — sessions live in the shared store (Redis, chapter 05), so any web server knows the user`,
      ).toBe(200);
    }
    await step('system.takeDown("us-east")', system.takeDown('us-east'));
    await dnsSends(bob, 'eu-west', 'once us-east fails its health checks (chapter 06)');
    const me = await step('GET /me in eu-west', bob.call('GET', '/me'));
    expect(
      me.reply?.status,
      `GET /me in eu-west after us-east went down: ${describeSeen(me)} — a logged-in user stays logged in across a data center failover (one shared session store)`,
    ).toBe(200);
    expect(me.reply?.json(), 'the session is still user 42’s').toMatchObject({ user: 42 });
    await step('system.bringUp("us-east")', system.bringUp('us-east'));
    await dnsSends(bob, 'us-east', 'home again once us-east is back and healthy');
    const back = await step('GET /me in us-east again', bob.call('GET', '/me'));
    expect(back.reply?.status, `GET /me once us-east is back: ${describeSeen(back)}`).toBe(200);
    expect(
      system.describe().dataCenters.find((d) => d.id === 'us-east')?.webServers,
      'a data center brought back runs at full size again',
    ).toHaveLength(2);
  });

  it('makes faults real and leaves nothing behind: a killed web server and a data center taken down refuse connections, and close() stops everything', async () => {
    const { system } = await startLab();
    const topology = system.describe();
    const us = topology.dataCenters.find((d) => d.id === 'us-east');
    const victim = us?.webServers[0];
    if (!us || !victim) throw new Error('describe() lists no web server in us-east');
    await step(`system.kill("${victim.id}")`, system.kill(victim.id));
    expect(
      await refuses(victim.url),
      `after system.kill("${victim.id}"), nothing listens at ${victim.url}`,
    ).toBe(true);
    await step('system.takeDown("us-east")', system.takeDown('us-east'));
    expect(
      await refuses(us.url),
      `after takeDown("us-east"), its load balancer (${us.url}) refuses connections`,
    ).toBe(true);
    expect(
      system.describe().dataCenters.find((d) => d.id === 'us-east')?.up,
      'describe() says us-east is down',
    ).toBe(false);
    await step('system.close()', system.close());
    const urls = topology.dataCenters.flatMap((d) => [d.url, ...d.webServers.map((w) => w.url)]);
    for (const url of urls) expect(await refuses(url), `after close(), nothing listens at ${url}`).toBe(true);
    await expect(
      resolve(topology.dns.port, NAME, { timeoutMs: 300 }),
      `after close(), geoDNS no longer answers on UDP port ${topology.dns.port}`,
    ).rejects.toThrow();
  });

  it('refuses a config it cannot run, and bad requests with a clear 4xx JSON error', async () => {
    await expect(
      startSystem({
        zone: 'photos.test',
        dataCenters: [],
        shards: [],
        redis: {
          sessions: () => {
            throw new Error('not needed');
          },
          cache: () => {
            throw new Error('not needed');
          },
          queue: () => {
            throw new Error('not needed');
          },
        },
        workers: 1,
        work: async () => {},
        limits: LIMITS,
      }),
      'startSystem with no data center and no shard rejects, naming what the config lacks',
    ).rejects.toThrow(/data center/i);
    const { client } = await startLab({ webServers: 1, workers: 1 });
    const carol = client('eu-west');
    for (const [body, why] of [
      [{ user: 'seven' }, 'a user id that is not a number'],
      [{ user: 0 }, 'a user id below 1'],
      [{}, 'no user id'],
    ] as const) {
      const seen = await step('POST /login', carol.call('POST', '/login', body));
      expect(seen.reply?.status, `POST /login with ${why}: ${describeSeen(seen)}`).toBe(400);
      expect(seen.reply?.json(), `POST /login with ${why} answers JSON { error }`).toHaveProperty('error');
    }
    const me = await step('GET /me', carol.call('GET', '/me'));
    expect(me.reply?.status, `GET /me with no session: ${describeSeen(me)}`).toBe(401);
    expect(me.reply?.json(), 'GET /me with no session answers JSON { error }').toHaveProperty('error');
    const lost = await step('GET /nowhere', carol.call('GET', '/nowhere'));
    expect(lost.reply?.status, `GET /nowhere: ${describeSeen(lost)}`).toBe(404);
    expect(lost.reply?.json(), 'an unknown route answers JSON { error }').toHaveProperty('error');
  });
});
