import { CompiledQuery } from 'kysely'
import type { Db } from '../database.js'

// Run for every issued batch: fixed SQL text (no query building per call); the records go in with one unnest.
const PROGRESS = `update issuance_sessions
  set issued = issued + 1, state = case when issued + 1 >= expected then 'credentials_issued' else 'issuing' end, updated_at = $2
  where protocol_session_id = $1 returning id, claims`
const RECORDS = `insert into issued_credentials (id, session_id, configuration_id, format, batch_id, status_list_id, status_index,
    holder_key_thumbprint, status, signing_key_id, issued_at, expires_at, claims)
  select t.id, $2, $3, $4, $5, t.list, t.idx, t.thumb, 'valid', $6, $7, $8, $9::jsonb
  from unnest($1::text[], $10::text[], $11::int[], $12::text[]) as t(id, list, idx, thumb)`
const CLAIMS = 'select claims from issuance_sessions where id = $1'

const run = async <R>(db: Db, text: string, params: unknown[]): Promise<R[]> =>
  (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows

/** One more batch of a session issued: its progress (the row stays locked until commit); the session's id and claims. */
export async function recordProgress(
  trx: Db,
  protocolSessionId: string,
  now: number,
): Promise<{ id: string; claims: unknown } | undefined> {
  return (await run<{ id: string; claims: unknown }>(trx, PROGRESS, [protocolSessionId, now]))[0]
}

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

/** The records of one batch, one row per credential, in one statement. */
export async function insertRecords(trx: Db, b: BatchRecords): Promise<void> {
  await run(trx, RECORDS, [
    b.items.map((i) => i.id),
    b.sessionId,
    b.configurationId,
    b.format,
    b.batchId,
    b.signingKeyId,
    b.issuedAt,
    b.expiresAt,
    b.claims === null || b.claims === undefined ? null : JSON.stringify(b.claims),
    b.items.map((i) => i.listId),
    b.items.map((i) => i.index),
    b.items.map((i) => i.thumbprint),
  ])
}

/** The claims an issuance session was offered with (per configuration). */
export async function sessionClaims(db: Db, id: string): Promise<unknown> {
  return (await run<{ claims: unknown }>(db, CLAIMS, [id]))[0]?.claims
}
