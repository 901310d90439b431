import { randomBytes } from 'node:crypto'
import { b64uDecode, b64uEncode, type Clock, isJsonObject } from '@bonafide/core'
import type { AuthorizationRequest, PresentationPlan } from '@bonafide/openid4vp'
import {
  jwtVcJsonWalletFormat,
  msoMdocWalletFormat,
  type PoolSummary,
  type PresentationLogEntry,
  sdJwtVcWalletFormat,
  Wallet,
} from '@bonafide/wallet'
import { z } from 'zod'
import type { Db } from '../db/database.js'
import type { Kek } from '../db/kek.js'
import { appendEvent } from '../db/repositories/events.js'
import { PgHolderKeyStore } from '../db/repositories/holder-key-store.js'
import { PgWalletStore } from '../db/repositories/wallet-store.js'
import type { LocalFetcher } from './local-fetcher.js'
import { ApiProblem, notFound } from './problem.js'
import { type TrustService, untrustedProblem } from './trust.js'

export const zReceiveInput = z.strictObject({
  offer: z.string().min(1).max(16_384),
  txCode: z.string().min(1).max(100).optional(),
  /** Copies per pool (default 10, capped by the issuer's batch_size). */
  count: z.number().int().min(1).max(100).optional(),
  configurationIds: z.array(z.string().min(1).max(200)).min(1).max(20).optional(),
})

export const zResolveInput = z.strictObject({ request: z.string().min(1).max(262_144) })

export const zRespondInput = z.strictObject({
  /** The holder's explicit consent: must be true to send anything. */
  consent: z.literal(true),
  /** Per query id, the pool ids to present (each must be one of that query's candidates). */
  selection: z.record(z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(20)),
})

const REQUEST_TTL_MS = 10 * 60_000

/** A pool as the API shows it: never a refresh token or key reference. */
function poolView(s: PoolSummary) {
  const { source, ...pool } = s.pool
  return {
    ...pool,
    ...(source ? { source: { credentialIssuer: source.credentialIssuer, configurationId: source.configurationId } } : {}),
    unused: s.unused,
    counts: s.counts,
    low: s.low,
  }
}

/** JSON with bytes (the response encryption key's thumbprint) kept as `{ $bytes: base64url }`. */
const toJson = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? { $bytes: b64uEncode(x) } : x)))
const fromJson = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v), (_k, x) => (isJsonObject(x) && typeof x.$bytes === 'string' ? b64uDecode(x.$bytes) : x))

/**
 * The holder side of the agent: the wallet library over PostgreSQL (pools, copies, log), holder keys sealed
 * under the KEK, trust from the agent's trust list. A request is resolved into a plan first (nothing taken), then
 * answered once with an explicit consent and selection.
 */
export class HolderService {
  readonly #db: Db
  readonly #clock: Clock
  readonly #trust: TrustService
  readonly #fetcher: LocalFetcher
  readonly #store: PgWalletStore
  readonly #keys: PgHolderKeyStore
  #wallet: { version: number; wallet: Wallet } | undefined

  constructor(o: { db: Db; clock: Clock; kek: Kek; trust: TrustService; fetcher: LocalFetcher }) {
    this.#db = o.db
    this.#clock = o.clock
    this.#trust = o.trust
    this.#fetcher = o.fetcher
    this.#store = new PgWalletStore(o.db, {
      clock: o.clock,
      onReceived: (trx, pool, copies, how) =>
        appendEvent(trx, {
          type: 'holder.credentials_received',
          subject: pool.id,
          data: { format: pool.format, type: pool.type, copies, how },
          at: o.clock.now(),
        }),
    })
    this.#keys = new PgHolderKeyStore(o.db, { kek: o.kek, clock: o.clock })
  }

  async wallet(): Promise<Wallet> {
    const v = this.#trust.version
    if (this.#wallet?.version === v) return this.#wallet.wallet
    const m = await this.#trust.material()
    const keys = m.issuerKeys.length ? { keys: m.issuerKeys } : {}
    const wallet = new Wallet({
      store: this.#store,
      keyStore: this.#keys,
      fetcher: this.#fetcher.fetch,
      formats: [
        sdJwtVcWalletFormat({ issuerKeys: { trustAnchors: m.roots, ...keys } }),
        msoMdocWalletFormat({ trustAnchors: m.roots }),
        jwtVcJsonWalletFormat({ issuerKeys: { trustAnchors: m.roots, ...keys } }),
      ],
      verifierTrustAnchors: m.verifierRoots,
      clock: this.#clock,
    })
    this.#wallet = { version: v, wallet }
    return wallet
  }

  async receive(input: z.output<typeof zReceiveInput>) {
    const w = await this.wallet()
    const pools = await w
      .receiveOffer(input.offer, {
        ...(input.txCode ? { txCode: input.txCode } : {}),
        ...(input.count ? { count: input.count } : {}),
        ...(input.configurationIds ? { configurationIds: input.configurationIds } : {}),
      })
      .catch((e) => {
        throw untrustedProblem(e, 'issuer')
      })
    const summaries = (await w.list()).filter((s) => pools.some((p) => p.id === s.pool.id))
    return { pools: summaries.map(poolView) }
  }

  async pools() {
    return { items: (await (await this.wallet()).list()).map(poolView) }
  }

  async deletePool(id: string): Promise<void> {
    if (!(await this.#store.getPool(id))) throw notFound('pool')
    await (await this.wallet()).deletePool(id)
  }

  /** Parse and authenticate a request, plan the answer; kept ten minutes for the holder's decision. */
  async resolve(link: string): Promise<{ id: string; verifier: Record<string, unknown>; plan: PresentationPlan }> {
    const { request, plan } = await (await this.wallet()).resolveRequest(link).catch((e) => {
      throw untrustedProblem(e, 'verifier')
    })
    const id = `hreq_${randomBytes(12).toString('base64url')}`
    const now = this.#clock.now()
    await this.#db
      .insertInto('holder_requests')
      .values({
        id,
        request: JSON.stringify(toJson(request)),
        state: 'planned',
        result: null,
        created_at: now,
        expires_at: now + REQUEST_TTL_MS,
      })
      .execute()
    return { id, verifier: verifierOf(request), plan }
  }

  /** Answer a resolved request once: the selection is checked against a fresh plan before any copy is taken. */
  async respond(id: string, input: z.output<typeof zRespondInput>) {
    const now = this.#clock.now()
    const row = await this.#db
      .updateTable('holder_requests')
      .set({ state: 'answering' })
      .where('id', '=', id)
      .where('state', '=', 'planned')
      .where('expires_at', '>', now)
      .returning('request')
      .executeTakeFirst()
    if (!row) {
      const known = await this.#db.selectFrom('holder_requests').select('state').where('id', '=', id).executeTakeFirst()
      if (!known) throw notFound('holder request')
      throw new ApiProblem(
        409,
        'agent.request_answered',
        `this request is ${known.state === 'planned' ? 'expired' : known.state}`,
      )
    }
    const request = fromJson(row.request) as AuthorizationRequest
    try {
      const r = await (await this.wallet()).present(request, { consent: () => input.selection })
      const result = { outcome: r.outcome, used: r.used, redirectUri: r.redirectUri ?? null, error: r.error ?? null }
      await this.#finish(id, 'answered', result)
      return { ...result, skipped: r.skipped, refills: r.refills }
    } catch (e) {
      // a refused selection left the wallet untouched: the holder may choose again
      const code = (e as { code?: string }).code ?? 'failed'
      const retry = code === 'openid4vp.unknown_query_id' || code === 'openid4vp.credential_missing'
      await this.#finish(id, retry ? 'planned' : 'failed', retry ? null : { error: code })
      if (retry) throw new ApiProblem(400, 'agent.selection_invalid', (e as Error).message)
      throw e
    }
  }

  async #finish(id: string, state: string, result: Record<string, unknown> | null): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('holder_requests')
        .set({ state, result: result ? JSON.stringify(result) : null })
        .where('id', '=', id)
        .execute()
      if (state === 'answered')
        await appendEvent(trx, {
          type: 'holder.presented',
          subject: id,
          data: { outcome: result?.outcome },
          at: this.#clock.now(),
        })
    })
  }

  async log(): Promise<{ items: PresentationLogEntry[] }> {
    return { items: await (await this.wallet()).log() }
  }
}

function verifierOf(r: AuthorizationRequest): Record<string, unknown> {
  return {
    clientId: r.clientId,
    ...(r.clientIdPrefix ? { clientIdPrefix: r.clientIdPrefix } : {}),
    ...(r.verifierSubject ? { subject: r.verifierSubject } : {}),
    responseMode: r.responseMode,
    ...(r.transactionData ? { transactionData: r.transactionData.length } : {}),
  }
}
