/**
 * Positions on the ring: a string hashed to an unsigned 32-bit number. README: task 1.
 * Pick a hash that mixes well: similar names (`db1#0`, `db1#1`, …) must land far apart on the ring.
 */

export function hash32(text: string): number {
  throw new Error('TODO (README, task 1): hash a string to a 32-bit ring position');
}
