/**
 * A DNS client for tests, over loopback UDP: builds a query with dns-packet (optionally with an EDNS Client
 * Subnet option, RFC 7871, as a resolver forwards it for geoDNS), sends it and decodes the answer.
 */
import dnsPacket from 'dns-packet';
import { exchange } from './udp.js';

export interface QueryOptions {
  type?: dnsPacket.RecordType;
  /** The query id (default: a fixed one, so that runs are repeatable). */
  id?: number;
  /** The client's address, sent as an EDNS Client Subnet option with a /24 source prefix. */
  clientSubnet?: string;
  /** How long to wait for the reply. */
  timeoutMs?: number;
}

/** The option of an answer's OPT record that echoes the client subnet. */
export interface ClientSubnetOption {
  code: number;
  family?: number;
  sourcePrefixLength: number;
  scopePrefixLength: number;
  ip: string;
}

export interface DnsReply {
  /** The decoded packet, for checks on flags, id or question. */
  packet: dnsPacket.Packet;
  /** NOERROR, NXDOMAIN, REFUSED … */
  rcode: string;
  /** The data of the answers of the type asked, in order (addresses for A). */
  addresses: string[];
  ttls: number[];
  /** The EDNS Client Subnet option of the reply, if it has one. */
  clientSubnet?: ClientSubnetOption;
}

/** The datagram of one query (for tests that send raw or broken packets around it). */
export function dnsQuery(name: string, options: QueryOptions = {}): Buffer {
  const { type = 'A', id = 4242, clientSubnet } = options;
  const additionals = clientSubnet
    ? [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: 4096,
          options: [{ code: 8, family: 1, sourcePrefixLength: 24, scopePrefixLength: 0, ip: clientSubnet }],
        },
      ]
    : [];
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name }],
    additionals,
  } as unknown as dnsPacket.Packet);
}

/** Asks the DNS server on 127.0.0.1:`port` for `name` and decodes its reply. */
export async function resolve(port: number, name: string, options: QueryOptions = {}): Promise<DnsReply> {
  const packet = dnsPacket.decode(await exchange(port, dnsQuery(name, options), options.timeoutMs));
  const type = options.type ?? 'A';
  const answers = (packet.answers ?? []).filter((r) => r.type === type) as dnsPacket.StringAnswer[];
  const opt = (packet.additionals ?? []).find((r) => r.type === 'OPT') as
    | { options?: ClientSubnetOption[] }
    | undefined;
  const clientSubnet = opt?.options?.find((o) => o.code === 8);
  return {
    packet,
    rcode: (packet as { rcode?: string }).rcode ?? 'NOERROR',
    addresses: answers.map((r) => String(r.data)),
    ttls: answers.map((r) => r.ttl ?? 0),
    ...(clientSubnet ? { clientSubnet } : {}),
  };
}
