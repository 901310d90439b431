import { randomBytes } from 'node:crypto'
import { type Clock, isJsonObject, isVcError, type JsonObject } from '@bonafide/core'
import type { SchemaRegistry } from '@bonafide/schema'
import type { Selectable } from 'kysely'
import QRCode from 'qrcode'
import { z } from 'zod'
import type { Db } from '../db/database.js'
import { appendEvent } from '../db/repositories/events.js'
import type { IssuanceSessionTable } from '../db/schema.js'
import { checkClaims } from './claims-check.js'
import { issuesOf } from './configurations.js'
import type { IssuerRuntime } from './issuance.js'
import { type Page, pageOf } from './pagination.js'
import { ApiProblem, notFound } from './problem.js'

const zClaims = z.record(z.string().max(256), z.unknown()).refine((o) => Object.keys(o).length <= 256, 'too many claims')
export const zOfferInput = z
  .strictObject({
    configurationIds: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/))
      .min(1)
      .max(8),
    /** Claims for every configuration of the offer … */
    claims: zClaims.optional(),
    /** … or per configuration id. */
    claimsByConfiguration: z.record(z.string().max(64), zClaims).optional(),
    txCode: z.boolean().default(false),
    expiresInSeconds: z
      .int()
      .min(30)
      .max(30 * 86400)
      .default(600),
    requireApproval: z.boolean().optional(),
    /** Pre-authorized code (default), or authorization code with `issuer_state` (PAR + PKCE, DPoP optional). */
    grant: z.enum(['pre-authorized_code', 'authorization_code']).default('pre-authorized_code'),
  })
  // OpenID4VCI §4.1.1: a transaction code belongs to the pre-authorized code grant only.
  .refine((o) => !(o.txCode && o.grant === 'authorization_code'), {
    path: ['txCode'],
    message: 'a tx code needs the pre-authorized code grant',
  })

export const SESSION_STATES = [
  'offered',
  'token_issued',
  'issuing',
  'credentials_issued',
  'completed',
  'failed',
  'expired',
] as const

export interface IssuanceSession {
  readonly id: string
  readonly state: (typeof SESSION_STATES)[number]
  readonly configurationIds: string[]
  readonly offer: string
  readonly txCodeRequired: boolean
  readonly requiresApproval: boolean
  readonly approval: string | null
  readonly approvalReason: string | null
  /** Configurations issued of those offered ("n of m"). */
  readonly issued: number
  readonly expected: number
  readonly error: string | null
  readonly expiresAt: number
  readonly createdAt: number
  readonly updatedAt: number
}

function sessionOf(r: Selectable<IssuanceSessionTable>, now: number): IssuanceSession {
  const expired = r.state === 'offered' && r.expires_at <= now
  return {
    id: r.id,
    state: (expired ? 'expired' : r.state) as IssuanceSession['state'],
    configurationIds: r.configuration_ids,
    offer: r.offer_uri,
    txCodeRequired: r.tx_code,
    requiresApproval: r.requires_approval,
    approval: r.approval,
    approvalReason: r.approval_reason,
    issued: r.issued,
    expected: r.expected,
    error: r.error,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/** Offers (connectionless issuance) and the issuance sessions they start. */
export class OfferService {
  readonly #db: Db
  readonly #clock: Clock
  readonly #runtime: IssuerRuntime
  readonly #registry: SchemaRegistry

  constructor(o: { db: Db; clock: Clock; runtime: IssuerRuntime; registry: SchemaRegistry }) {
    this.#db = o.db
    this.#clock = o.clock
    this.#runtime = o.runtime
    this.#registry = o.registry
  }

  /** Check everything first (configurations, claims against each schema); store nothing unless all pass. */
  async create(input: unknown): Promise<{ sessionId: string; offer: string; qrSvg: string; txCode?: string; expiresAt: number }> {
    const p = zOfferInput.safeParse(input)
    if (!p.success) throw new ApiProblem(400, 'agent.offer_invalid', 'the offer request is invalid', issuesOf(p.error))
    const o = p.data
    const ids = [...new Set(o.configurationIds)]
    const { issuer, configs } = await this.#runtime.current()
    const claims: Record<string, JsonObject> = {}
    const errors: { path: string; message: string }[] = []
    let approval = o.requireApproval ?? false
    for (const id of ids) {
      const c = configs.get(id)
      if (!c)
        throw new ApiProblem(404, 'agent.configuration_unknown', 'no such active credential configuration', [
          { path: '/configurationIds', message: `unknown: ${id.slice(0, 64)}` },
        ])
      approval ||= c.requiresApproval
      const given = o.claimsByConfiguration?.[id] ?? o.claims
      if (!given || !isJsonObject(given)) {
        errors.push({ path: `/claimsByConfiguration/${id}`, message: 'claims are required' })
        continue
      }
      const report = await checkClaims(c, given as JsonObject, this.#registry)
      for (const e of report.errors) errors.push({ path: `/${id}${e.path}`, message: e.message })
      claims[id] = given as JsonObject
    }
    if (errors.length) throw new ApiProblem(400, 'agent.claims_invalid', 'the claims do not satisfy the schema', errors)
    const id = `iss_${randomBytes(12).toString('base64url')}`
    const now = this.#clock.now()
    let created: Awaited<ReturnType<typeof issuer.createOffer>>
    try {
      created = await issuer.createOffer({
        configurationIds: ids,
        sessionData: { issuanceId: id, requiresApproval: approval },
        ttlSeconds: o.expiresInSeconds,
        preAuthorized: o.grant === 'pre-authorized_code',
        authorizationCode: o.grant === 'authorization_code',
        ...(o.txCode && o.grant === 'pre-authorized_code'
          ? { txCode: { length: 6, description: 'Enter the code the issuer sent you' } }
          : {}),
      })
    } catch (e) {
      if (isVcError(e)) throw new ApiProblem(400, 'agent.offer_invalid', 'the offer could not be created')
      throw e
    }
    const expiresAt = now + o.expiresInSeconds * 1000
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('issuance_sessions')
        .values({
          id,
          protocol_session_id: created.sessionId,
          configuration_ids: JSON.stringify(ids),
          state: 'offered',
          claims: JSON.stringify(claims),
          tx_code: o.txCode,
          requires_approval: approval,
          approval: null,
          approval_reason: null,
          expected: ids.length,
          issued: 0,
          error: null,
          offer_uri: created.link,
          expires_at: expiresAt,
          created_at: now,
          updated_at: now,
        })
        .execute()
      await appendEvent(trx, { type: 'issuance.offered', subject: id, data: { configurationIds: ids }, at: now })
    })
    const qrSvg = await QRCode.toString(created.link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    return { sessionId: id, offer: created.link, qrSvg, ...(created.txCode ? { txCode: created.txCode } : {}), expiresAt }
  }

  async get(id: string): Promise<IssuanceSession> {
    const r = await this.#db.selectFrom('issuance_sessions').selectAll().where('id', '=', id).executeTakeFirst()
    if (!r) throw notFound('issuance session')
    return sessionOf(r, this.#clock.now())
  }

  async list(f: { state?: string; configurationId?: string; limit?: number; after?: string }): Promise<Page<IssuanceSession>> {
    const now = this.#clock.now()
    let q = this.#db.selectFrom('issuance_sessions').selectAll()
    if (f.state === 'expired')
      q = q.where((eb) =>
        eb.or([eb('state', '=', 'expired'), eb.and([eb('state', '=', 'offered'), eb('expires_at', '<=', now)])]),
      )
    else if (f.state === 'offered') q = q.where('state', '=', 'offered').where('expires_at', '>', now)
    else if (f.state) q = q.where('state', '=', f.state)
    if (f.configurationId) q = q.where('configuration_ids', '@>', JSON.stringify([f.configurationId]) as never)
    return pageOf(q, f, (r: Parameters<typeof sessionOf>[0]) => sessionOf(r, now))
  }

  /**
   * Sessions a wallet redeemed but never finished (a crash or a wallet gone between token and credential): once
   * their access token can no longer be used, they are marked `failed`, with an event. Sessions waiting for an
   * operator are left alone (the wallet polls its deferred transaction).
   */
  async sweepAbandoned(accessTokenTtlMs = 600_000): Promise<number> {
    const now = this.#clock.now()
    return this.#db.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable('issuance_sessions')
        .set({ state: 'failed', error: 'abandoned: no credential request while the access token was valid', updated_at: now })
        .where('state', 'in', ['token_issued', 'issuing'])
        .where('requires_approval', '=', false)
        .where('updated_at', '<', now - accessTokenTtlMs - 60_000)
        .returning('id')
        .execute()
      for (const r of rows) await appendEvent(trx, { type: 'issuance.abandoned', subject: r.id, data: {}, at: now })
      return rows.length
    })
  }

  /** Decide a session waiting for an operator: what the wallet's next deferred request receives. */
  async decide(id: string, decision: 'approved' | 'rejected', reason?: string): Promise<IssuanceSession> {
    const now = this.#clock.now()
    return this.#db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('issuance_sessions')
        .set({
          approval: decision,
          approval_reason: reason ?? null,
          updated_at: now,
          ...(decision === 'rejected' ? { state: 'failed', error: 'rejected by the issuer' } : {}),
        })
        .where('id', '=', id)
        .where('requires_approval', '=', true)
        .where('approval', 'is', null)
        .where('state', 'in', ['offered', 'token_issued', 'issuing'])
        // an offer nobody redeemed in time is expired, not pending
        .where((eb) => eb.or([eb('state', '!=', 'offered'), eb('expires_at', '>', now)]))
        .returningAll()
        .executeTakeFirst()
      if (!r) {
        const exists = await trx.selectFrom('issuance_sessions').select('id').where('id', '=', id).executeTakeFirst()
        throw exists
          ? new ApiProblem(409, 'agent.session_not_pending', 'this session is not waiting for a decision')
          : notFound('issuance session')
      }
      await appendEvent(trx, { type: `issuance.${decision}`, subject: id, data: reason ? { reason } : {}, at: now })
      return sessionOf(r, now)
    })
  }
}
