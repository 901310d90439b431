import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../schema.js'

/** Append an event in the caller's transaction: the state change and the event about it commit together. */
export async function appendEvent(
  trx: Kysely<DB>,
  e: { type: string; subject: string; data: Record<string, unknown>; at: number },
): Promise<void> {
  await trx
    .insertInto('events')
    .values({ id: randomUUID(), type: e.type, subject: e.subject, data: JSON.stringify(e.data), created_at: e.at })
    .execute()
}
