import { randomUUID } from 'node:crypto'
import { CompiledQuery } from 'kysely'
import type { Db } from '../database.js'
import { DELIVERIES_FROM_EV } from './events.js'

// Run for every issued batch: fixed SQL text (no query building per call).
const CLAIMS = 'select claims from issuance_sessions where id = $1'

/**
 * A whole issued batch in one statement (one round trip, atomic as a statement): the session's progress, the
 * records (claims copied from the session when the configuration stores them), the event and its outbox.
 */
const BATCH = `with s as (
    update issuance_sessions
    set issued = issued + 1, state = case when issued + 1 >= expected then 'credentials_issued' else 'issuing' end, updated_at = $2
    where protocol_session_id = $1 returning id, claims),
  sid as (select coalesce((select id from s), $1) as id),
  r as (
    insert into issued_credentials (id, session_id, configuration_id, format, batch_id, status_list_id, status_index,
      holder_key_thumbprint, status, signing_key_id, issued_at, expires_at, claims)
    select t.id, (select id from sid), $3, $4, $5, t.list, t.idx, t.thumb, 'valid', $6, $7, $8,
      case when $9::boolean then (select claims -> $3 from s) else null end
    from unnest($10::text[], $11::text[], $12::int[], $13::text[]) as t(id, list, idx, thumb)
    returning 1),
  ev as (
    insert into events (id, type, subject, data, created_at)
    select $14, 'issuance.credentials_issued', sid.id, $15::jsonb, $2 from sid
    returning id, type, created_at)
  ${DELIVERIES_FROM_EV}`

const run = async <R>(db: Db, text: string, params: unknown[]): Promise<R[]> =>
  (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows

export interface BatchRecords {
  sessionId: string
  configurationId: string
  format: string
  batchId: string
  signingKeyId: string
  issuedAt: number
  expiresAt: number
  claims: unknown
  items: readonly { id: string; listId: string | null; index: number | null; thumbprint: string }[]
}

export interface IssuedBatch extends Omit<BatchRecords, 'sessionId' | 'claims'> {
  protocolSessionId: string
  now: number
  /** Copy the session's claims for this configuration into each record. */
  storeClaims: boolean
  /** The event's data (never claim values). */
  eventData: Record<string, unknown>
}

/** Record an issued batch: progress, records, event and webhook deliveries in one statement. */
export async function recordBatch(db: Db, b: IssuedBatch): Promise<void> {
  await run(db, BATCH, [
    b.protocolSessionId,
    b.now,
    b.configurationId,
    b.format,
    b.batchId,
    b.signingKeyId,
    b.issuedAt,
    b.expiresAt,
    b.storeClaims,
    b.items.map((i) => i.id),
    b.items.map((i) => i.listId),
    b.items.map((i) => i.index),
    b.items.map((i) => i.thumbprint),
    randomUUID(),
    JSON.stringify(b.eventData),
  ])
}

/** The claims an issuance session was offered with (per configuration). */
export async function sessionClaims(db: Db, id: string): Promise<unknown> {
  return (await run<{ claims: unknown }>(db, CLAIMS, [id]))[0]?.claims
}
