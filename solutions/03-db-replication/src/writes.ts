/**
 * Writes on the primary: the row and its log entry in one transaction, with the next sequence number.
 * The cluster runs one write at a time, so the log gets one order without gaps; it knows the primary's
 * position from its own writes and asks the node only after a promotion.
 */
import type { Pool } from 'pg';
import { apply, type Photo, photoFromRow } from './change-log.js';

/** The primary's next entry: the photo as it is now, under the next sequence number. */
async function append(pool: Pool, seq: number, photo: Photo): Promise<number> {
  await apply(pool, { seq, op: 'upsert', photo });
  return seq;
}

/** A new photo: its id and created_at are made here, so that the entry carries values, not functions. */
export async function insertPhoto(
  pool: Pool,
  seq: number,
  input: { owner: string; title: string },
): Promise<{ photo: Photo; seq: number }> {
  const next = await pool.query<{ id: number }>('SELECT coalesce(max(id), 0)::int + 1 AS id FROM photos');
  const photo = { id: next.rows[0]?.id ?? 1, ...input, createdAt: new Date() };
  return { photo, seq: await append(pool, seq, photo) };
}

/** The photo with its new title; undefined (and no entry) for an id the primary does not have. */
export async function retitlePhoto(
  pool: Pool,
  seq: number,
  id: number,
  title: string,
): Promise<{ photo: Photo; seq: number } | undefined> {
  const found = await pool.query('SELECT id, owner, title, created_at FROM photos WHERE id = $1', [id]);
  if (!found.rows[0]) return undefined;
  const photo = { ...photoFromRow(found.rows[0]), title };
  return { photo, seq: await append(pool, seq, photo) };
}
