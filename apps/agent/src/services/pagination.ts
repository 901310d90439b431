import { Buffer } from 'node:buffer'
import { type SelectQueryBuilder, sql } from 'kysely'
import { z } from 'zod'
import type { DB } from '../db/schema.js'
import { ApiProblem } from './problem.js'

/** Cursor pagination, newest first: `?limit=&after=<cursor>`; the answer's `next` is the cursor of the next page. */
export const zPageQuery = z.strictObject({
  after: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/)
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, '1..1000')
    .optional(),
})

export interface Page<T> {
  readonly items: T[]
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null
}

/** The cursor of a (time, id) position, and back (400 agent.cursor_invalid on anything else). */
export const encodeCursor = (at: number, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url')

export function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') return [v[0], v[1]]
  } catch {
    // fall through
  }
  throw new ApiProblem(400, 'agent.cursor_invalid', 'the cursor is invalid')
}

/** One page of rows ordered by (created_at, id) descending; the table must have both columns. */
export async function pageOf<T, R extends { created_at: number; id: string }>(
  // biome-ignore lint/suspicious/noExplicitAny: any table with created_at and id
  q: SelectQueryBuilder<DB, any, any>,
  p: { after?: string | undefined; limit?: number | undefined },
  map: (row: R) => T,
  column = 'created_at',
): Promise<Page<T>> {
  const limit = p.limit ?? 50
  let s = q
  if (p.after) {
    const [at, id] = decodeCursor(p.after)
    s = s.where(sql<boolean>`(${sql.ref(column)}, id) < (${at}, ${id})`)
  }
  const rows = (await s
    .orderBy(column, 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()) as R[]
  const more = rows.length > limit
  const page = more ? rows.slice(0, limit) : rows
  const last = page.at(-1)
  return { items: page.map(map), next: more && last ? encodeCursor(last.created_at, last.id) : null }
}
