/** A question about every user: ask every shard for its own answer (scatter), then merge (gather). */
import type { ShardSet } from './shard-set.js';
import { PHOTO_COLUMNS, type Photo, photoFromRow } from './user-rows.js';

export async function topPhotos(set: ShardSet, n: number): Promise<Photo[]> {
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new Error('top photos: n is an integer from 1 to 1000');
  // Every shard's own top n: any one of them could hold the whole answer.
  const answers = await Promise.all(
    [...set.pools.values()].map((pool) =>
      pool.query(`SELECT ${PHOTO_COLUMNS} FROM photos ORDER BY likes DESC, id LIMIT $1`, [n]),
    ),
  );
  const byId = new Map<string, Photo>();
  for (const answer of answers) for (const row of answer.rows) byId.set(String(row.id), photoFromRow(row));
  return [...byId.values()]
    .sort((a, b) => b.likes - a.likes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, n);
}
