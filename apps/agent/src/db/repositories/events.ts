import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { DB } from '../schema.js'

/**
 * The outbox fan-out as SQL, for statements that insert an event in a CTE named `ev` (with `type` and `created_at`
 * returned): one pending delivery per active webhook subscribed to the type or to `*`.
 */
export const DELIVERIES_FROM_EV = `insert into webhook_deliveries (id, webhook_id, event_id, state, attempts, next_attempt_at, created_at)
  select 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, ev.id, 'pending', 0, ev.created_at, ev.created_at
  from webhooks w, ev
  where w.active and (w.event_types @> jsonb_build_array(ev.type) or w.event_types @> '["*"]'::jsonb)`

/**
 * Append an event in the caller's transaction: the state change, the event about it, and one pending webhook
 * delivery per subscribed webhook (the outbox) commit together. Events about webhooks themselves are not fanned
 * out (a dead-lettered delivery must not cause another delivery).
 */
export async function appendEvent(
  trx: Kysely<DB>,
  e: { type: string; subject: string; data: Record<string, unknown>; at: number },
): Promise<string> {
  const id = randomUUID()
  const data = JSON.stringify(e.data)
  if (e.type.startsWith('webhook.')) {
    await trx.insertInto('events').values({ id, type: e.type, subject: e.subject, data, created_at: e.at }).execute()
    return id
  }
  // one round trip: the event and its deliveries
  await sql`
    with ev as (
      insert into events (id, type, subject, data, created_at)
      values (${id}, ${e.type}, ${e.subject}, ${data}::jsonb, ${e.at})
      returning id, type, created_at)
    ${sql.raw(DELIVERIES_FROM_EV)}
  `.execute(trx)
  return id
}
