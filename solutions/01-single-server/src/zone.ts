/**
 * The zone: which names this DNS server is the authority for, and the address of each.
 * `lookup` is the whole of the DNS logic; `dns-server.ts` only moves packets.
 */

/** One A record. `name` is relative to the zone's origin: `www`, `api`, or `@` for the origin itself. */
export interface ARecord {
  name: string;
  address: string;
  /** Seconds a resolver may cache the answer; the zone's `ttl` when absent. */
  ttl?: number;
}

export interface Zone {
  /** The domain this server is authoritative for, e.g. `photos.test`. */
  origin: string;
  /** Default TTL in seconds. */
  ttl: number;
  records: ARecord[];
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED';

export interface Answer {
  name: string;
  type: 'A';
  ttl: number;
  address: string;
}

export interface LookupResult {
  rcode: Rcode;
  answers: Answer[];
}

/**
 * Answers one question (`name`, `type`) from the zone, as an authoritative server does:
 * - a name outside the zone: REFUSED (this server is nobody's resolver);
 * - a name in the zone with no records at all: NXDOMAIN;
 * - a name that exists, asked for a type it does not have (AAAA, MX…): NOERROR with no answers;
 * - otherwise NOERROR with every A record of the name.
 * DNS names are case-insensitive, and a trailing dot is the same name.
 */
export function lookup(zone: Zone, name: string, type: string): LookupResult {
  const origin = normalise(zone.origin);
  const asked = normalise(name);
  if (asked !== origin && !asked.endsWith(`.${origin}`)) return { rcode: 'REFUSED', answers: [] };
  const relative = asked === origin ? '@' : asked.slice(0, -(origin.length + 1));
  const records = zone.records.filter((record) => normalise(record.name) === relative);
  if (records.length === 0) return { rcode: 'NXDOMAIN', answers: [] };
  if (type !== 'A') return { rcode: 'NOERROR', answers: [] };
  return {
    rcode: 'NOERROR',
    answers: records.map((record) => ({
      name,
      type: 'A',
      ttl: record.ttl ?? zone.ttl,
      address: record.address,
    })),
  };
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
