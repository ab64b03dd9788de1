/**
 * The geoDNS: chapter 01's authoritative DNS server, grown. The answer for the geo-routed name depends on
 * where the client is — read from the EDNS Client Subnet option that resolvers add to their queries — and
 * on which data centers pass their health checks, which the server runs on its own every interval.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import { choose, type GeoConfig } from './routing.js';

export interface GeoDnsOptions extends GeoConfig {
  /** How often every data center's health URL is checked. */
  checkIntervalMs: number;
  /** A check that has no answer within this time fails (default: the interval). */
  checkTimeoutMs?: number;
}

export interface GeoDns {
  /** The UDP port the server listens on, on 127.0.0.1. */
  port: number;
  close(): Promise<void>;
}

const NOERROR = 0;
const FORMERR = 1;
const NXDOMAIN = 3;
const NOTIMP = 4;
const REFUSED = 5;

interface ClientSubnet {
  family: number;
  sourcePrefixLength: number;
  scopePrefixLength: number;
  ip: string;
}

/** Starts the server on 127.0.0.1 (port 0: a free port) once the first round of health checks is done. */
export async function startGeoDns(options: GeoDnsOptions, port = 0): Promise<GeoDns> {
  const health = await watchHealth(options);
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, peer) => {
    const reply = respond(options, message, peer.address, health.healthy);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => {});
  return {
    port: (socket.address() as AddressInfo).port,
    async close() {
      await health.stop();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/**
 * Task 2: one health check of a data center: healthy only on a 200 within `timeoutMs`. A check that hangs
 * is a failed check, or a data center that hangs would keep its traffic.
 */
export async function checkHealth(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const reply = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await reply.arrayBuffer();
    return reply.status === 200;
  } catch {
    return false;
  }
}

/**
 * Checks every data center every interval (one round at a time) and keeps the last verdict of each; a
 * round that cannot run counts as failed checks, and `choose` fails open when every check failed.
 */
async function watchHealth(options: GeoDnsOptions) {
  const verdicts = new Map(options.dataCenters.map((dc) => [dc.id, true]));
  const timeout = options.checkTimeoutMs ?? options.checkIntervalMs;
  let round: Promise<void> | undefined;
  const checkAll = () => {
    round ??= Promise.all(
      options.dataCenters.map(async (dc) => {
        verdicts.set(dc.id, await checkHealth(dc.healthUrl, timeout).catch(() => false));
      }),
    ).then(() => {
      round = undefined;
    });
    return round;
  };
  await checkAll();
  const timer = setInterval(checkAll, options.checkIntervalMs);
  return {
    healthy: (id: string) => verdicts.get(id) ?? false,
    async stop() {
      clearInterval(timer);
      await round;
    },
  };
}

function respond(
  config: GeoConfig,
  message: Buffer,
  peerAddress: string,
  healthy: (id: string) => boolean,
): Buffer | undefined {
  let query: dnsPacket.DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    if (message.length < 12) return undefined;
    return dnsPacket.encode({ type: 'response', id: message.readUInt16BE(0), flags: FORMERR });
  }
  if (query.type !== 'query') return undefined;
  const id = query.id ?? 0;
  const flags = ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | dnsPacket.AUTHORITATIVE_ANSWER;
  const questions = query.questions ?? [];
  const question = questions[0];
  if ((query as { opcode?: string }).opcode !== 'QUERY')
    return dnsPacket.encode({ type: 'response', id, flags: flags | NOTIMP, questions });
  if (questions.length !== 1 || !question)
    return dnsPacket.encode({ type: 'response', id, flags: flags | FORMERR, questions });

  const subnet = clientSubnetOf(query);
  const origin = config.origin.toLowerCase();
  const asked = question.name.toLowerCase().replace(/\.$/, '');
  const reply = (rcode: number, answers: dnsPacket.Answer[] = [], scope = 0) =>
    dnsPacket.encode({
      type: 'response',
      id,
      flags: flags | rcode,
      questions,
      answers,
      // An ECS query gets its option back, with the scope the answer holds for (RFC 7871).
      additionals: subnet
        ? [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: 4096,
              options: [{ code: 8, ...subnet, scopePrefixLength: scope }],
            },
          ]
        : [],
    } as unknown as dnsPacket.Packet);

  if (asked !== origin && !asked.endsWith(`.${origin}`)) return reply(REFUSED);
  if (asked !== `${config.name.toLowerCase()}.${origin}`) return reply(NXDOMAIN);
  if (question.type !== 'A') return reply(NOERROR);
  // Without ECS the client is the address the query came from (a resolver, or the client itself).
  const client = subnet?.family === 1 ? subnet.ip : peerAddress;
  const dc = choose(config, client, healthy);
  const answer = {
    type: 'A' as const,
    class: 'IN' as const,
    name: question.name,
    ttl: config.ttl,
    data: dc.address,
  };
  return reply(NOERROR, [answer], subnet?.sourcePrefixLength ?? 0);
}

function clientSubnetOf(query: dnsPacket.DecodedPacket): ClientSubnet | undefined {
  for (const record of query.additionals ?? []) {
    if (record.type !== 'OPT') continue;
    // dns-packet decodes an option's code as a number: 8 is EDNS Client Subnet.
    const option = (record.options ?? []).find((o) => (o as { code?: number }).code === 8) as
      | (ClientSubnet & { ip?: string })
      | undefined;
    if (option?.ip) {
      const { family, sourcePrefixLength, ip } = option;
      return { family, sourcePrefixLength, scopePrefixLength: 0, ip };
    }
  }
  return undefined;
}
