/**
 * Synthetic probes: what a user in each region gets. For every region, resolve the service's name the way
 * a resolver there would (with the region's client subnet), send a request to the answer and record who
 * served it and how it went. Run every minute, they see an outage before the users report it.
 */
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface ProbeOptions {
  /** The geoDNS on 127.0.0.1. */
  dnsPort: number;
  /** The name to resolve, e.g. `api.photos.test`. */
  name: string;
  /** Each region and an address of a client there (sent as its EDNS Client Subnet). */
  regions: { name: string; clientIp: string }[];
  /** Where a public address is reachable from here (the test network's routing). */
  connect(address: string): string;
  timeoutMs?: number;
}

export interface ProbeResult {
  region: string;
  /** The address the geoDNS answered, if any. */
  address?: string;
  /** The data center that answered /health (its `dc`), if any. */
  servedBy?: string;
  ok: boolean;
  /** Why the probe failed. */
  error?: string;
  ms: number;
}

export async function runProbes(options: ProbeOptions): Promise<ProbeResult[]> {
  const timeout = options.timeoutMs ?? 2000;
  return Promise.all(
    options.regions.map(async (region): Promise<ProbeResult> => {
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      let address: string | undefined;
      try {
        address = await resolve(options.dnsPort, options.name, region.clientIp, timeout);
        if (!address) return { region: region.name, ok: false, error: 'no A record', ms: ms() };
        const reply = await fetch(new URL('/health', options.connect(address)), {
          signal: AbortSignal.timeout(timeout),
        });
        const body = (await reply.json().catch(() => ({}))) as { dc?: string };
        const ok = reply.status === 200;
        return {
          region: region.name,
          address,
          servedBy: body.dc,
          ok,
          ...(ok ? {} : { error: `health answered ${reply.status}` }),
          ms: ms(),
        };
      } catch (error) {
        return { region: region.name, address, ok: false, error: (error as Error).message, ms: ms() };
      }
    }),
  );
}

function resolve(
  port: number,
  name: string,
  clientIp: string,
  timeoutMs: number,
): Promise<string | undefined> {
  const socket = dgram.createSocket('udp4');
  const query = dnsPacket.encode({
    type: 'query',
    id: Math.floor(Math.random() * 65535),
    questions: [{ type: 'A', name }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: 4096,
        options: [{ code: 8, family: 1, sourcePrefixLength: 24, scopePrefixLength: 0, ip: clientIp }],
      },
    ],
  } as unknown as dnsPacket.Packet);
  return new Promise<string | undefined>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no DNS answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('message', (message) => {
      clearTimeout(timer);
      const answer = dnsPacket.decode(message).answers?.find((a) => a.type === 'A');
      resolve(answer && 'data' in answer ? (answer.data as string) : undefined);
    });
    socket.send(query, port, '127.0.0.1');
  }).finally(() => socket.close());
}
