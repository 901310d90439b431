import { type AuditReport, auditRecords } from '@bonafide/audit'
import type { Clock } from '@bonafide/core'
import { type Bits, STATUS, StatusList } from '@bonafide/status-list'
import type { Selectable } from 'kysely'
import type { Db } from '../db/database.js'
import { appendEvent } from '../db/repositories/events.js'
import type { IssuedCredentialTable } from '../db/schema.js'
import { decodeCursor, encodeCursor, type Page } from './pagination.js'
import { ApiProblem, notFound } from './problem.js'

export type CredentialStatus = 'valid' | 'revoked' | 'suspended'
export type StatusAction = 'revoke' | 'suspend' | 'reinstate'

export interface IssuedCredential {
  readonly id: string
  readonly sessionId: string
  readonly configurationId: string
  readonly format: string
  readonly batchId: string
  readonly statusListId: string | null
  readonly statusIndex: number | null
  readonly holderKeyThumbprint: string
  readonly status: CredentialStatus
  readonly signingKeyId: string
  readonly issuedAt: number
  readonly expiresAt: number
  readonly claims?: unknown
}

export function credentialOf(r: Selectable<IssuedCredentialTable>): IssuedCredential {
  return {
    id: r.id,
    sessionId: r.session_id,
    configurationId: r.configuration_id,
    format: r.format,
    batchId: r.batch_id,
    statusListId: r.status_list_id,
    statusIndex: r.status_index,
    holderKeyThumbprint: r.holder_key_thumbprint,
    status: r.status as CredentialStatus,
    signingKeyId: r.signing_key_id,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
    ...(r.claims !== null ? { claims: r.claims } : {}),
  }
}

const NEXT: Record<StatusAction, CredentialStatus> = { revoke: 'revoked', suspend: 'suspended', reinstate: 'valid' }
const VALUE: Record<CredentialStatus, number> = { valid: STATUS.VALID, revoked: STATUS.INVALID, suspended: STATUS.SUSPENDED }

/** Issued-credential records and their status: one transaction changes the records, the list bits and the events. */
export class CredentialService {
  readonly #db: Db
  readonly #clock: Clock

  constructor(o: { db: Db; clock: Clock }) {
    this.#db = o.db
    this.#clock = o.clock
  }

  async list(f: {
    batch?: string
    session?: string
    status?: string
    limit?: number
    after?: string
  }): Promise<Page<IssuedCredential>> {
    let q = this.#db.selectFrom('issued_credentials').selectAll()
    if (f.batch) q = q.where('batch_id', '=', f.batch)
    if (f.session) q = q.where('session_id', '=', f.session)
    if (f.status) q = q.where('status', '=', f.status)
    if (f.after) {
      const [at, id] = decodeCursor(f.after)
      q = q.where((e) => e.or([e('issued_at', '<', at), e.and([e('issued_at', '=', at), e('id', '<', id)])]))
    }
    const limit = f.limit ?? 100
    const items = (await q.orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(credentialOf)
    const last = items.at(-1)
    return { items, next: items.length === limit && last ? encodeCursor(last.issuedAt, last.id) : null }
  }

  /** The unlinkability audit of one batch from its records (the agent keeps records, not the credentials). */
  async audit(batchId: string): Promise<AuditReport & { batchId: string }> {
    const rows = await this.#db
      .selectFrom('issued_credentials as c')
      .leftJoin('status_lists as l', 'l.id', 'c.status_list_id')
      .select(['c.id', 'c.issued_at', 'c.expires_at', 'c.status_list_id', 'c.status_index', 'c.holder_key_thumbprint', 'l.size'])
      .where('c.batch_id', '=', batchId)
      .orderBy('c.id')
      .execute()
    if (!rows.length) throw notFound('batch')
    // The records keep the exact issuance time; the credentials carry it rounded down to the day (the SD-JWT VC,
    // mdoc and JWT-VC issuers all round by default), which is what a verifier sees and so what is audited.
    const day = (ms: number) => Math.floor(ms / 86_400_000) * 86_400_000
    const report = auditRecords(
      rows.map((r) => ({
        id: r.id,
        issuedAt: day(Number(r.issued_at)),
        expiresAt: day(Number(r.issued_at)) + (Number(r.expires_at) - Number(r.issued_at)),
        statusListId: r.status_list_id,
        statusIndex: r.status_index,
        holderKeyThumbprint: r.holder_key_thumbprint,
        ...(r.size !== null ? { statusListSize: Number(r.size) } : {}),
      })),
    )
    return { batchId, ...report }
  }

  async get(id: string): Promise<IssuedCredential> {
    const r = await this.#db.selectFrom('issued_credentials').selectAll().where('id', '=', id).executeTakeFirst()
    if (!r) throw notFound('credential')
    return credentialOf(r)
  }

  /**
   * Revoke, suspend or reinstate one credential or a whole batch. Revocation is final: a revoked
   * credential cannot be suspended or reinstated (409, nothing changes).
   */
  async setStatus(target: { id: string } | { batchId: string }, action: StatusAction): Promise<IssuedCredential[]> {
    const now = this.#clock.now()
    const next = NEXT[action]
    return this.#db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('issued_credentials').selectAll()
      q = 'id' in target ? q.where('id', '=', target.id) : q.where('batch_id', '=', target.batchId)
      const rows = await q.orderBy('id').forUpdate().execute()
      if (rows.length === 0) throw notFound('id' in target ? 'credential' : 'batch')
      if (action !== 'revoke' && rows.some((r) => r.status === 'revoked'))
        throw new ApiProblem(409, 'agent.credential_revoked', 'a revoked credential cannot change status')
      const byList = new Map<string, number[]>()
      for (const r of rows)
        if (r.status_list_id !== null && r.status_index !== null)
          byList.set(r.status_list_id, [...(byList.get(r.status_list_id) ?? []), r.status_index])
      for (const [listId, indices] of [...byList].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const l = await trx
          .selectFrom('status_lists')
          .select(['bytes', 'bits'])
          .where('id', '=', listId)
          .forUpdate()
          .executeTakeFirstOrThrow()
        const list = new StatusList(l.bits as Bits, new Uint8Array(l.bytes))
        for (const i of indices) list.set(i, VALUE[next])
        await trx
          .updateTable('status_lists')
          .set((eb) => ({ bytes: list.bytes, version: eb('version', '+', 1) }))
          .where('id', '=', listId)
          .execute()
      }
      const updated = await trx
        .updateTable('issued_credentials')
        .set({ status: next })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .returningAll()
        .execute()
      for (const r of updated)
        await appendEvent(trx, {
          type: `credential.${next === 'valid' ? 'reinstated' : next}`,
          subject: r.id,
          data: { batchId: r.batch_id },
          at: now,
        })
      return updated.map(credentialOf).sort((a, b) => (a.id < b.id ? -1 : 1))
    })
  }
}
