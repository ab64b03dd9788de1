/**
 * An authoritative DNS server over UDP: it decodes each query with dns-packet, asks `lookup` for the answer
 * and sends the encoded response back to the address the query came from.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import { lookup, type Rcode, type Zone } from './zone.js';

export interface DnsServer {
  /** The UDP port the server listens on, on 127.0.0.1. */
  port: number;
  close(): Promise<void>;
}

const RCODES: Record<Rcode | 'FORMERR' | 'NOTIMP', number> = {
  NOERROR: 0,
  FORMERR: 1,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};

/** Starts the server on 127.0.0.1 (port 0 picks a free port). */
export async function startDnsServer(zone: Zone, port = 0): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, peer) => {
    const reply = respond(zone, message);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // After start-up, a socket error (e.g. a peer that went away) must not bring the server down.
  socket.on('error', () => {});
  return {
    port: (socket.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Builds the response to one datagram, or nothing when the datagram is too broken to answer. */
function respond(zone: Zone, message: Buffer): Buffer | undefined {
  let query: dnsPacket.DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    // A readable header gets a FORMERR with its id; anything shorter is dropped.
    if (message.length < 12) return undefined;
    return encode(message.readUInt16BE(0), RCODES.FORMERR, 0, []);
  }
  const flags = (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  const questions = query.questions ?? [];
  if (query.type !== 'query') return undefined;
  // dns-packet decodes the opcode, though its type definitions leave it out.
  if ((query as { opcode?: string }).opcode !== 'QUERY')
    return encode(query.id ?? 0, RCODES.NOTIMP, flags, questions);
  const question = questions[0];
  if (questions.length !== 1 || !question) return encode(query.id ?? 0, RCODES.FORMERR, flags, questions);

  const result = lookup(zone, question.name, question.type);
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags: flags | dnsPacket.AUTHORITATIVE_ANSWER | RCODES[result.rcode],
    questions,
    answers: result.answers.map((a) => ({
      type: 'A',
      class: 'IN',
      name: a.name,
      ttl: a.ttl,
      data: a.address,
    })),
  });
}

function encode(id: number, rcode: number, flags: number, questions: dnsPacket.Question[]): Buffer {
  return dnsPacket.encode({ type: 'response', id, flags: flags | rcode, questions });
}
