/**
 * An authoritative DNS server over UDP: decode each query with dns-packet, ask `lookup` for the answer,
 * and send the encoded response back to the address the query came from. README: task 1.
 */
import type { Zone } from './zone.js';

export interface DnsServer {
  /** The UDP port the server listens on, on 127.0.0.1. */
  port: number;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 (port 0 picks a free port). */
export async function startDnsServer(zone: Zone, port = 0): Promise<DnsServer> {
  // TODO: a `node:dgram` udp4 socket bound to 127.0.0.1:port.
  // TODO: for each datagram: dnsPacket.decode → lookup(zone, …) → dnsPacket.encode → socket.send back.
  // TODO: a datagram that does not decode gets FORMERR (if its header is readable) and never stops the server.
  throw new Error(`TODO (README, task 1): serve the zone ${zone.origin} over UDP on port ${port}`);
}
