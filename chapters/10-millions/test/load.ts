/**
 * The seeded load: virtual users who log in, upload, read their own photos, browse others' (skewed: a few
 * users are far more popular, a Zipf law) and check their session and albums — through DNS and HTTP only.
 */
import { seededRandom } from '#kit/random';
import { pause } from '#kit/wait';
import { type Op, type OpKind, photoKey } from './history.js';
import type { Client, Lab, RegionId } from './lab.js';

export interface LoadOptions {
  seed: number;
  users: number;
  /** When the load stops, in ms since the run started. */
  endAt: number;
  startedAt: number;
}

/** Zipf weights: user k is browsed in proportion to 1 / k^1.1. */
function zipf(users: number, random: () => number): number {
  const weights = Array.from({ length: users }, (_, k) => 1 / (k + 1) ** 1.1);
  let x = random() * weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < users; k++) {
    x -= weights[k] as number;
    if (x <= 0) return k + 1;
  }
  return users;
}

function pick(random: () => number): OpKind {
  const x = random();
  if (x < 0.12) return 'upload';
  if (x < 0.32) return 'own';
  if (x < 0.85) return 'browse';
  if (x < 0.93) return 'me';
  return 'album';
}

/** One operation through the client, recorded in the history. */
export async function perform(
  client: Client,
  history: Op[],
  startedAt: number,
  user: number,
  kind: OpKind,
  target?: number,
): Promise<Op> {
  const request = {
    login: ['POST', '/login', { user }],
    upload: ['POST', '/photos', { title: `photo ${history.length + 1} of user ${user}` }],
    own: ['GET', `/users/${user}/photos`, undefined],
    browse: ['GET', `/users/${target}/photos`, undefined],
    me: ['GET', '/me', undefined],
    album: ['GET', `/users/${target}/album`, undefined],
  }[kind] as [string, string, unknown];
  const invokedAt = Date.now() - startedAt;
  const seen = await client.call(...request);
  const op: Op = {
    user,
    kind,
    ...(target === undefined ? {} : { target }),
    invokedAt,
    completedAt: Date.now() - startedAt,
    status: seen.reply?.status ?? null,
    ...(seen.dataCenter ? { dataCenter: seen.dataCenter } : {}),
    ...(seen.error ? { error: seen.error } : {}),
  };
  if (seen.reply && seen.reply.status < 300) {
    const body = seen.reply.json() as { id?: string; photos?: string[] } | { id: string }[];
    if (kind === 'upload') op.photo = photoKey(body as { id: string; title: string });
    if (kind === 'own' || kind === 'browse')
      op.photos = (body as { id: string; title: string }[]).map(photoKey);
  }
  history.push(op);
  return op;
}

/** The operation and its target user: browsing one's own list is reading one's own photos. */
function choose(kind: OpKind, user: number, users: number, random: () => number): [OpKind, number?] {
  if (kind === 'album') return ['album', user];
  if (kind !== 'browse') return [kind];
  const target = zipf(users, random);
  return target === user ? ['own'] : ['browse', target];
}

export function regionOf(user: number): RegionId {
  return user % 2 === 1 ? 'us-east' : 'eu-west';
}

/** Runs every virtual user until `endAt`; each has its own client and its own seeded choices. */
export async function runLoad(lab: Lab, history: Op[], options: LoadOptions): Promise<Map<number, Client>> {
  const clients = new Map<number, Client>();
  const users = Array.from({ length: options.users }, (_, i) => i + 1);
  await Promise.all(
    users.map(async (user) => {
      const random = seededRandom(options.seed * 1000 + user);
      const client = lab.client(regionOf(user));
      clients.set(user, client);
      await pause(random() * 200);
      await perform(client, history, options.startedAt, user, 'login');
      while (Date.now() - options.startedAt < options.endAt) {
        const [kind, target] = choose(pick(random), user, options.users, random);
        await perform(client, history, options.startedAt, user, kind, target);
        await pause(40 + random() * 80);
      }
    }),
  );
  return clients;
}
