/**
 * Positions on the ring: a string hashed to an unsigned 32-bit number.
 * MD5 is not for security here, only for spread: every bit of its output depends on every bit of the input,
 * so similar names (`db1#0`, `db1#1`, …) land far apart. A hash with weak mixing, such as plain FNV-1a
 * over short similar strings, clusters the virtual nodes and the ring comes out uneven.
 */
import { createHash } from 'node:crypto';

export function hash32(text: string): number {
  return createHash('md5').update(text).digest().readUInt32BE(0);
}
