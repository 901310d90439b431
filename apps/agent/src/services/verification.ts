import { createHash } from 'node:crypto'
import { b64uEncode, type Clock, isVcError, type JsonObject } from '@bonafide/core'
import { parseDcqlQuery, type SessionResult, Verifier, type VerifierSession } from '@bonafide/openid4vp'
import { parsePresentationDefinition } from '@bonafide/openid4vp/pex'
import QRCode from 'qrcode'
import { z } from 'zod'
import type { Db } from '../db/database.js'
import type { Kek } from '../db/kek.js'
import { appendEvent } from '../db/repositories/events.js'
import { PgNonceGuard } from '../db/repositories/nonce-guard.js'
import { type PendingPresentation, PresentationSessionStore, pendingPresentation } from '../db/repositories/presentation-store.js'
import { type AcceptancePolicy, decide, zAcceptancePolicy } from './acceptance-policy.js'
import type { KeyService } from './keys.js'
import type { LocalFetcher } from './local-fetcher.js'
import { type Page, pageOf, zPageQuery } from './pagination.js'
import { ApiProblem, notFound } from './problem.js'
import type { TrustService } from './trust.js'
import { reportOf, type VerificationReport } from './verification-report.js'
import { buildValidators } from './verifier-validators.js'

export const CLIENT_ID_PREFIXES = ['x509_hash', 'x509_san_dns', 'redirect_uri'] as const
export const RESPONSE_MODES = ['direct_post', 'direct_post.jwt'] as const
export const PRESENTATION_STATES = [
  'created',
  'request_fetched',
  'verified',
  'verification_failed',
  'accepted',
  'rejected',
  'expired',
] as const
type Prefix = (typeof CLIENT_ID_PREFIXES)[number]
type Mode = (typeof RESPONSE_MODES)[number]
export type PresentationState = (typeof PRESENTATION_STATES)[number]

const zJsonObject = z.record(z.string(), z.unknown())
/** OpenID4VP §8.4: a transaction data object names the query ids it binds to; other members are type-specific. */
const zTransactionData = z.looseObject({
  type: z.string().min(1).max(200),
  credential_ids: z.array(z.string().min(1).max(200)).min(1).max(50),
})

export const zPresentationInput = z
  .strictObject({
    dcql: zJsonObject.optional(),
    presentationDefinition: zJsonObject.optional(),
    responseMode: z.enum(RESPONSE_MODES).default('direct_post'),
    clientIdPrefix: z.enum(CLIENT_ID_PREFIXES).default('x509_hash'),
    /** By reference (default `get`; `post` = request_uri_method=post). redirect_uri requests go by value. */
    requestUriMethod: z.enum(['get', 'post']).optional(),
    transactionData: z.array(zTransactionData).min(1).max(10).optional(),
    policy: zAcceptancePolicy.optional(),
    expiresInSeconds: z.number().int().min(30).max(86_400).default(600),
  })
  .refine((b) => (b.dcql === undefined) !== (b.presentationDefinition === undefined), {
    message: 'give exactly one of dcql and presentationDefinition',
  })
export type PresentationInput = z.output<typeof zPresentationInput>

export const zPresentationListQuery = zPageQuery.extend({ state: z.enum(PRESENTATION_STATES).optional() })

export interface PresentationView {
  readonly id: string
  readonly state: PresentationState
  /** The verdict: null until the wallet answered. */
  readonly valid: boolean | null
  readonly request: string
  readonly queryKind: string
  readonly query: JsonObject
  readonly responseMode: string
  readonly transactionData: readonly unknown[] | null
  readonly policy: AcceptancePolicy | null
  readonly error: { code: string; message: string } | null
  readonly unsatisfiedSets: readonly number[]
  readonly credentials: VerificationReport['queries']
  readonly decision: { by: 'policy' | 'operator'; accepted: boolean; reasons: readonly string[] } | null
  readonly createdAt: number
  readonly updatedAt: number
  readonly expiresAt: number
}

type Row = {
  id: string
  state: string
  query_kind: string
  query: unknown
  response_mode: string
  transaction_data: unknown
  policy: unknown
  report: unknown
  reason: string | null
  request_uri: string
  created_at: number
  updated_at: number
  expires_at: number
}

export interface VerificationDeps {
  db: Db
  clock: Clock
  kek: Kek
  keys: KeyService
  trust: TrustService
  fetcher: LocalFetcher
  publicUrl: string
  onVerified?: (valid: boolean) => void
}

const bad = (code: string, message: string) => new ApiProblem(400, code, message)

/** The verifier side of the agent: sessions over the OpenID4VP library, a report per query, acceptance. */
export class VerificationService {
  readonly #d: VerificationDeps
  readonly #store: PresentationSessionStore
  readonly #guard: PgNonceGuard
  readonly #verifiers = new Map<string, { version: number; verifier: Verifier }>()
  #validators: { version: number; list: ReturnType<typeof buildValidators> } | undefined

  constructor(d: VerificationDeps) {
    this.#d = d
    this.#guard = new PgNonceGuard(d.db, { clock: d.clock })
    this.#store = new PresentationSessionStore(d.db, {
      clock: d.clock,
      kek: d.kek,
      hooks: {
        created: (trx, s, p) => this.#created(trx, s, p),
        fetched: async (trx, id) => {
          await this.#move(trx, id, ['created'], 'request_fetched', 'presentation.request_fetched')
        },
        released: async (trx, id) => {
          await this.#move(trx, id, ['request_fetched'], 'created')
        },
        completed: (trx, id, r) => this.#completed(trx, id, r),
      },
    })
  }

  #base(prefix: Prefix, mode: Mode): string {
    return `${this.#d.publicUrl}/openid4vp/${prefix}/${mode}`
  }

  async #validatorList() {
    const v = this.#d.trust.version
    if (this.#validators?.version !== v) {
      const m = await this.#d.trust.material()
      this.#validators = { version: v, list: buildValidators(m, this.#d.fetcher.fetch, this.#d.publicUrl) }
    }
    return this.#validators.list
  }

  /** One library verifier per client id prefix and response mode, rebuilt when the trust list changes. */
  async #verifier(prefix: Prefix, mode: Mode): Promise<Verifier> {
    const name = `${prefix} ${mode}`
    const hit = this.#verifiers.get(name)
    if (hit && hit.version === this.#d.trust.version) return hit.verifier
    const base = this.#base(prefix, mode)
    const responseUri = `${base}/response`
    const key = await this.#d.keys.verifier()
    const der = Buffer.from(key.x5c[0] ?? '', 'base64')
    const identity =
      prefix === 'redirect_uri'
        ? { clientId: `redirect_uri:${responseUri}` }
        : {
            clientId:
              prefix === 'x509_hash'
                ? `x509_hash:${b64uEncode(createHash('sha256').update(der).digest())}`
                : `x509_san_dns:${new URL(this.#d.publicUrl).hostname}`,
            signer: key.signer,
            x5c: key.x5c,
          }
    const verifier = new Verifier({
      ...identity,
      responseUri,
      requestUriBase: `${base}/request`,
      responseMode: mode,
      validators: await this.#validatorList(),
      nonceGuard: this.#guard,
      sessions: this.#store,
      clock: this.#d.clock,
    })
    this.#verifiers.set(name, { version: this.#d.trust.version, verifier })
    return verifier
  }

  async create(input: PresentationInput): Promise<PresentationView & { qrSvg: string; clientId: string }> {
    const queryIds = checkQuery(input)
    const td = input.transactionData
    if (td) checkTransactionData(td, queryIds)
    if (input.clientIdPrefix === 'x509_san_dns' && /^[\d.]+$|:/.test(new URL(this.#d.publicUrl).hostname))
      throw bad('agent.client_id_prefix_unavailable', 'x509_san_dns needs a DNS name in the public URL (use x509_hash)')
    if (input.clientIdPrefix === 'redirect_uri' && input.requestUriMethod)
      throw bad('agent.body_invalid', 'redirect_uri requests are passed by value (no requestUriMethod)')
    const verifier = await this.#verifier(input.clientIdPrefix, input.responseMode)
    const pending: PendingPresentation = {
      queryKind: input.dcql ? 'dcql' : 'pex',
      responseMode: input.responseMode,
      ...(input.policy ? { policy: input.policy } : {}),
      ...(td ? { transactionData: td } : {}),
    }
    const o = {
      ...(td ? { transactionData: td.map((t) => b64uEncode(new TextEncoder().encode(JSON.stringify(t)))) } : {}),
      ...(input.clientIdPrefix === 'redirect_uri' ? {} : { requestUriMethod: input.requestUriMethod ?? 'get' }),
      ttlSeconds: input.expiresInSeconds,
    }
    const created = await pendingPresentation.run(pending, () =>
      input.dcql ? verifier.createRequest(input.dcql, o) : verifier.createPexRequest(input.presentationDefinition, o),
    )
    await this.#d.db
      .updateTable('presentation_sessions')
      .set({ request_uri: created.link })
      .where('id', '=', created.sessionId)
      .execute()
    const qrSvg = await QRCode.toString(created.link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    const clientId = new URL(created.link.replace(/^openid4vp:\/\//, 'https://x/')).searchParams.get('client_id') ?? ''
    return { ...(await this.get(created.sessionId)), qrSvg, clientId }
  }

  async #created(trx: Db, s: VerifierSession, p: PendingPresentation): Promise<void> {
    const now = this.#d.clock.now()
    await trx
      .insertInto('presentation_sessions')
      .values({
        id: s.id,
        state: 'created',
        query_kind: p.queryKind,
        query: JSON.stringify(s.dcql ?? s.presentationDefinition),
        response_mode: p.responseMode,
        transaction_data: p.transactionData ? JSON.stringify(p.transactionData) : null,
        policy: p.policy ? JSON.stringify(p.policy) : null,
        report: null,
        reason: null,
        request_uri: '',
        created_at: now,
        updated_at: now,
        expires_at: s.expiresAt,
      })
      .execute()
    await appendEvent(trx, { type: 'presentation.created', subject: s.id, data: { queryKind: p.queryKind }, at: now })
  }

  async #move(trx: Db, id: string, from: PresentationState[], to: PresentationState, event?: string): Promise<boolean> {
    const now = this.#d.clock.now()
    const r = await trx
      .updateTable('presentation_sessions')
      .set({ state: to, updated_at: now })
      .where('id', '=', id)
      .where('state', 'in', from)
      .returning('id')
      .executeTakeFirst()
    if (r && event) await appendEvent(trx, { type: event, subject: id, data: {}, at: now })
    return r !== undefined
  }

  /** The wallet answered: the report, verified or not, and the policy's decision, with their events. */
  async #completed(trx: Db, id: string, result: SessionResult): Promise<void> {
    const row = await trx.selectFrom('presentation_sessions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (!row) return
    const now = this.#d.clock.now()
    const td = (row.transaction_data ?? []) as unknown as { credential_ids: string[] }[]
    const tdFor = new Set(td.flatMap((t) => t.credential_ids))
    const report = reportOf(result, tdFor)
    let state: PresentationState = report.valid ? 'verified' : 'verification_failed'
    const data = { valid: report.valid, ...(report.error ? { code: report.error.code } : {}) }
    await appendEvent(trx, { type: `presentation.${state}`, subject: id, data, at: now })
    let decision: PresentationView['decision'] = null
    if (report.valid && row.policy) {
      const d = decide(row.policy as AcceptancePolicy, report, now)
      decision = { by: 'policy', accepted: d.accepted, reasons: d.reasons }
      state = d.accepted ? 'accepted' : 'rejected'
      await appendEvent(trx, { type: `presentation.${state}`, subject: id, data: { by: 'policy' }, at: now })
    }
    await trx
      .updateTable('presentation_sessions')
      .set({
        state,
        report: JSON.stringify({ ...report, decision }),
        reason: decision?.reasons.join('; ') || null,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute()
    this.#d.onVerified?.(report.valid)
  }

  /** An operator's decision on a verified presentation. */
  async decide(id: string, accepted: boolean, reason?: string): Promise<PresentationView> {
    await this.#expire(id)
    const ok = await this.#d.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('presentation_sessions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
      if (!row) throw notFound('presentation session')
      if (row.state !== 'verified') return row.state
      const now = this.#d.clock.now()
      const decision = { by: 'operator', accepted, reasons: reason ? [reason] : [] }
      const state = accepted ? 'accepted' : 'rejected'
      await trx
        .updateTable('presentation_sessions')
        .set({ state, reason: reason ?? null, report: JSON.stringify({ ...(row.report as object), decision }), updated_at: now })
        .where('id', '=', id)
        .execute()
      await appendEvent(trx, { type: `presentation.${state}`, subject: id, data: { by: 'operator' }, at: now })
      return true
    })
    if (ok !== true)
      throw new ApiProblem(409, 'agent.session_state', `only a verified session can be decided (this one is ${ok})`)
    return this.get(id)
  }

  /** Sessions nobody answered in time become `expired` (lazily on read, and by the sweep). */
  async #expire(id?: string): Promise<number> {
    const now = this.#d.clock.now()
    return this.#d.db.transaction().execute(async (trx) => {
      let q = trx
        .updateTable('presentation_sessions')
        .set({ state: 'expired', updated_at: now })
        .where('state', 'in', ['created', 'request_fetched'])
        .where('expires_at', '<=', now)
      if (id) q = q.where('id', '=', id)
      const rows = await q.returning('id').execute()
      for (const r of rows) await appendEvent(trx, { type: 'presentation.expired', subject: r.id, data: {}, at: now })
      return rows.length
    })
  }

  sweep(): Promise<number> {
    return this.#expire()
  }

  async get(id: string): Promise<PresentationView> {
    await this.#expire(id)
    const row = await this.#d.db.selectFrom('presentation_sessions').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound('presentation session')
    return viewOf(row)
  }

  async list(q: z.output<typeof zPresentationListQuery>): Promise<Page<PresentationView>> {
    await this.#expire()
    let s = this.#d.db.selectFrom('presentation_sessions').selectAll()
    if (q.state) s = s.where('state', '=', q.state)
    return pageOf(s, q, (r) => viewOf(r as Row))
  }

  /**
   * The public OpenID4VP endpoints: request_uri (GET, POST) and response_uri, per prefix and mode. The HTTP layer
   * has read the body (size-limited); this rebuilds the request on the library verifier's path.
   */
  async handle(
    prefix: string,
    mode: string,
    what: 'request' | 'response',
    req: { method: string; headers: Headers; body: Uint8Array | undefined },
    id?: string,
  ): Promise<Response> {
    if (!(CLIENT_ID_PREFIXES as readonly string[]).includes(prefix) || !(RESPONSE_MODES as readonly string[]).includes(mode))
      return oauthError(404, 'unknown endpoint')
    const verifier = await this.#verifier(prefix as Prefix, mode as Mode)
    const path = `${this.#base(prefix as Prefix, mode as Mode)}/${what}${id ? `/${id}` : ''}`
    const r = new Request(path, { method: req.method, headers: req.headers, ...(req.body ? { body: req.body } : {}) })
    return what === 'request' ? verifier.handleRequestUri(r) : verifier.handleResponse(r)
  }
}

export const oauthError = (status: number, description: string) =>
  new Response(JSON.stringify({ error: 'invalid_request', error_description: description }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  })

/** Parse the query strictly before anything is signed or stored; the ids transaction data may name. */
function checkQuery(input: PresentationInput): Map<string, string> {
  try {
    if (input.dcql) return new Map(parseDcqlQuery(input.dcql).credentials.map((c) => [c.id, c.format]))
    const d = parsePresentationDefinition(input.presentationDefinition)
    return new Map(d.input_descriptors.map((i: { id: string }) => [i.id, '']))
  } catch (e) {
    const code = input.dcql ? 'agent.dcql_invalid' : 'agent.presentation_definition_invalid'
    throw bad(code, isVcError(e) ? e.message : 'the query is invalid')
  }
}

/** §8.4: transaction data names queries that can carry it (an SD-JWT VC's KB-JWT binds its hash; mdoc and W3C cannot). */
function checkTransactionData(td: readonly { credential_ids: string[] }[], queries: Map<string, string>): void {
  for (const t of td)
    for (const id of t.credential_ids) {
      const format = queries.get(id)
      if (format === undefined)
        throw bad('agent.transaction_data_invalid', 'transaction data names a query the request does not have')
      if (format !== 'dc+sd-jwt' && format !== '')
        throw bad(
          'agent.transaction_data_invalid',
          `a ${format} credential cannot carry transaction data (only dc+sd-jwt binds it)`,
        )
    }
}

function viewOf(r: Row): PresentationView {
  const report = r.report as (VerificationReport & { decision: PresentationView['decision'] }) | null
  return {
    id: r.id,
    state: r.state as PresentationState,
    valid: report ? report.valid : null,
    request: r.request_uri,
    queryKind: r.query_kind,
    query: r.query as JsonObject,
    responseMode: r.response_mode,
    transactionData: (r.transaction_data as unknown[] | null) ?? null,
    policy: (r.policy as AcceptancePolicy | null) ?? null,
    error: report?.error ?? null,
    unsatisfiedSets: report?.unsatisfiedSets ?? [],
    credentials: report?.queries ?? [],
    decision: report?.decision ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    expiresAt: r.expires_at,
  }
}
