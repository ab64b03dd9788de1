/** Names of the Redis keys the tiers share. Nothing outside the system reads them. */
export const listKey = (user: number) => `photos:${user}`;
export const positionKey = (user: number) => `position:${user}`;
export const albumKey = (user: number) => `album:${user}`;

/** The album entry a completed upload job appends: the effect the queue applies once. */
export function albumEntry(job: { photo: string; owner: number }): [string, string, string] {
  return ['RPUSH', albumKey(job.owner), job.photo];
}
