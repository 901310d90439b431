import {
  type AuthorizationRequest,
  buildVpToken,
  type ClaimsPathPointer,
  type CredentialRecord,
  checkSelection,
  type DcqlQuery,
  type PresentationPlan,
  type PresentationTarget,
  parseAuthorizationRequest,
  planPresentation,
  postDirectResponse,
  type VpToken,
} from '@bonafide/openid4vp'
import type { PresentationSubmission } from '@bonafide/openid4vp/pex'
import { WalletError } from './errors.js'
import { displayClaims } from './formats.js'
import type { CopyRecord, PoolRecord, PresentationLogEntry } from './model.js'
import { summarizePool } from './pools.js'
import { pexQueryLanguage } from './present-pex.js'
import type { RefillOutcome, Wallet } from './wallet.js'

export type Selection = Readonly<Record<string, readonly string[]>>

export interface PresentOptions {
  /**
   * Shown the plan (a `PexPresentationPlan`, see `isPexPlan`, for Presentation Exchange requests:
   * one query per input descriptor) — who asks, for what, with which pools; returns the selection to send, or undefined to decline.
   */
  consent: (plan: PresentationPlan, request: AuthorizationRequest) => Promise<Selection | undefined> | Selection | undefined
  /** Refill pools that fell below their minimum (default true). */
  refill?: boolean
}

export interface SkippedCopy {
  readonly poolId: string
  readonly copyId: string
  readonly reason: 'expired' | 'revoked' | 'suspended'
}

export interface PresentResult {
  readonly plan: PresentationPlan
  readonly selection: Selection
  readonly outcome: 'accepted' | 'rejected'
  /** Where the verifier sends the user next (direct_post with redirect_uri). */
  readonly redirectUri?: string
  readonly error?: string
  readonly used: readonly { readonly queryId: string; readonly poolId: string; readonly copyId: string }[]
  readonly skipped: readonly SkippedCopy[]
  readonly refills: readonly RefillOutcome[]
  readonly log: PresentationLogEntry
}

function toRecord(p: PoolRecord): CredentialRecord {
  const meta =
    p.format === 'dc+sd-jwt' ? { vct: p.type } : p.format === 'mso_mdoc' ? { doctype: p.type } : { types: p.type.split(' ') }
  return { id: p.id, format: p.format, claims: p.claims, ...meta }
}

/** Retire expired copies (with their keys) and report them. */
export async function retireExpired(w: Wallet): Promise<SkippedCopy[]> {
  const now = w.clock.now()
  const skipped: SkippedCopy[] = []
  for (const p of await w.o.store.listPools()) {
    const expired = (await w.o.store.listCopies(p.id)).filter(
      (c) => c.state === 'unused' && c.validUntil !== undefined && c.validUntil <= now,
    )
    for (const c of expired) skipped.push({ poolId: p.id, copyId: c.id, reason: 'expired' })
    await w.retire(expired.map((c) => c.id))
  }
  return skipped
}

/** Suspended copies are looked at again: valid ones return to the pool, revoked ones are retired with their keys. */
async function recheckSuspended(w: Wallet): Promise<void> {
  const checker = w.o.statusChecker
  if (!checker) return
  for (const p of await w.o.store.listPools())
    for (const c of await w.o.store.listCopies(p.id)) {
      if (c.state !== 'suspended' || !c.status) continue
      const s = await checker.check(c.status, { now: w.clock.now() })
      if (s.state === 'valid') await w.o.store.mark([c.id], 'unused')
      else if (s.state === 'invalid') await w.retire([c.id])
    }
}

/** Expired copies are retired before planning (and reported); pools with a usable copy become planner records. */
async function holdings(w: Wallet, skipped: SkippedCopy[]): Promise<Map<string, PoolRecord>> {
  await recheckSuspended(w)
  skipped.push(...(await retireExpired(w)))
  const now = w.clock.now()
  const pools = new Map<string, PoolRecord>()
  for (const p of await w.o.store.listPools())
    if (summarizePool(p, await w.o.store.listCopies(p.id), now).unused > 0) pools.set(p.id, p)
  return pools
}

/** Take an unused copy atomically; with a status checker, revoked copies are retired and suspended ones set aside. */
async function takeChecked(w: Wallet, poolId: string, skipped: SkippedCopy[]): Promise<CopyRecord> {
  const exclude = new Set<string>()
  for (;;) {
    const now = w.clock.now()
    const c = await w.o.store.take(poolId, { now, exclude })
    if (!c) throw new WalletError('wallet.pool_exhausted', 'no unused copy is left in this pool', { details: { poolId } })
    if (!w.o.statusChecker || !c.status) return c
    const s = await w.o.statusChecker.check(c.status, { now })
    if (s.state !== 'invalid' && s.state !== 'suspended') return c
    exclude.add(c.id)
    skipped.push({ poolId, copyId: c.id, reason: s.state === 'invalid' ? 'revoked' : 'suspended' })
    if (s.state === 'invalid') await w.retire([c.id])
    else {
      // never presented: give the use back, so the copy can serve once the suspension is lifted
      await w.o.store.release([c.id])
      await w.o.store.mark([c.id], 'suspended')
    }
  }
}

type Taken = { queryId: string; copy: CopyRecord; pool: PoolRecord }

/** Take one copy per selected credential; if any take fails, the copies already taken are given back. */
async function takeAll(
  w: Wallet,
  selection: Selection,
  pools: Map<string, PoolRecord>,
  skipped: SkippedCopy[],
): Promise<Taken[]> {
  const taken: Taken[] = []
  try {
    for (const [queryId, poolIds] of Object.entries(selection))
      for (const poolId of poolIds)
        taken.push({ queryId, pool: pools.get(poolId) as PoolRecord, copy: await takeChecked(w, poolId, skipped) })
  } catch (e) {
    await w.o.store.release(taken.map((t) => t.copy.id))
    throw e
  }
  return taken
}

/** The claim paths the plan asks of this credential for its query. */
function plannedPaths(plan: PresentationPlan, t: Taken): ClaimsPathPointer[] {
  const q = plan.queries.find((x) => x.queryId === t.queryId)
  return q?.candidates.find((c) => c.credentialId === t.pool.id)?.claims.map((c) => c.path) ?? []
}

/** The claim paths that leave the wallet for one credential: W3C JWT credentials go whole. */
function disclosedPaths(plan: PresentationPlan, t: Taken): (string | number | null)[][] {
  if (t.pool.format === 'jwt_vc_json')
    return Object.keys(displayClaims(t.pool.format, t.pool.claims)).map((k) => ['credentialSubject', k])
  return plannedPaths(plan, t).map((p) => [...p])
}

type Target = Omit<PresentationTarget, 'transactionData'>

/** The response parameters: the vp_token, and for Presentation Exchange its presentation_submission. */
export interface ResponseParams {
  readonly vpToken: VpToken
  readonly presentationSubmission?: PresentationSubmission
}

/** What differs between DCQL and Presentation Exchange: planning, checking a selection, shaping the response. */
export interface QueryLanguage {
  plan(records: readonly CredentialRecord[]): PresentationPlan
  /** Throws when the (possibly user-edited) selection does not answer the request. */
  check(plan: PresentationPlan, selection: Selection): void
  /** From the signed presentations (by query id, one per target) to what is posted. */
  respond(byQuery: Record<string, string[]>, targets: readonly Target[]): ResponseParams
}

function dcqlQueryLanguage(
  request: AuthorizationRequest & { readonly dcql: DcqlQuery },
  o: { transactionDataTypes?: readonly string[] },
): QueryLanguage {
  return {
    plan: (records) => planPresentation(request, records, o),
    check: checkSelection,
    respond: (byQuery) => ({ vpToken: byQuery }),
  }
}

/** Sign every presentation first; nothing is sent unless all of them could be made. */
async function buildResponse(
  w: Wallet,
  request: AuthorizationRequest,
  lang: QueryLanguage,
  plan: PresentationPlan,
  taken: readonly Taken[],
): Promise<ResponseParams> {
  const byCopy = new Map(taken.map((t) => [t.copy.id, t]))
  const targets: Target[] = taken.map((t) => ({
    queryId: t.queryId,
    format: t.pool.format,
    credentialId: t.copy.id,
    claims: plannedPaths(plan, t),
  }))
  const byQuery = await buildVpToken(request, targets, async (target, req) => {
    const t = byCopy.get(target.credentialId) as Taken
    return w.format(t.pool.format).present(t.copy.credential, target, req, await w.o.keyStore.signer(t.copy.keyRef))
  })
  return lang.respond(byQuery, targets)
}

async function send(
  w: Wallet,
  request: AuthorizationRequest,
  response: ResponseParams,
): Promise<{ outcome: 'accepted' | 'rejected'; redirectUri?: string; error?: string }> {
  try {
    const answer = await postDirectResponse(w.o.fetcher, request, response.vpToken, response.presentationSubmission)
    return { outcome: 'accepted', ...(typeof answer.redirect_uri === 'string' ? { redirectUri: answer.redirect_uri } : {}) }
  } catch (e) {
    return { outcome: 'rejected', error: (e as { code?: string }).code ?? 'error' }
  }
}

/** Where the verifier sent the user, without its one-time response code (the log is exportable). */
function logUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined
  try {
    const u = new URL(uri)
    return `${u.origin}${u.pathname}`
  } catch {
    return undefined
  }
}

function logEntry(
  w: Wallet,
  request: AuthorizationRequest,
  plan: PresentationPlan,
  taken: readonly Taken[],
  outcome: PresentationLogEntry['outcome'],
  redirectUri?: string,
): PresentationLogEntry {
  const uri = logUri(redirectUri)
  return {
    id: w.newId(),
    at: w.clock.now(),
    verifier: { clientId: request.clientId, ...(request.verifierSubject ? { subject: request.verifierSubject } : {}) },
    outcome,
    credentials: taken.map((t) => ({
      queryId: t.queryId,
      poolId: t.pool.id,
      format: t.pool.format,
      type: t.pool.type,
      issuer: t.pool.issuer,
      claims: disclosedPaths(plan, t),
    })),
    ...(uri ? { redirectUri: uri } : {}),
  }
}

async function refillLow(w: Wallet, taken: readonly Taken[]): Promise<RefillOutcome[]> {
  const refills: RefillOutcome[] = []
  for (const poolId of new Set(taken.map((t) => t.pool.id))) {
    const p = await w.o.store.getPool(poolId)
    if (p && summarizePool(p, await w.o.store.listCopies(poolId), w.clock.now()).low) refills.push(await w.refill(poolId))
  }
  return refills
}

/** Parse (and authenticate) an OpenID4VP request link with the wallet's trust and fetcher. */
export function parseRequestWithWallet(w: Wallet, link: string): Promise<AuthorizationRequest> {
  return parseAuthorizationRequest(link, {
    trustAnchors: w.o.verifierTrustAnchors ?? [],
    fetcher: w.o.fetcher,
    clock: w.clock,
  })
}

function languageOf(w: Wallet, request: AuthorizationRequest): QueryLanguage {
  const td = w.o.transactionDataTypes ? { transactionDataTypes: w.o.transactionDataTypes } : {}
  return request.presentationDefinition ? pexQueryLanguage(request, td) : dcqlQueryLanguage(request, td)
}

/** What the wallet would answer to a parsed request (per query: candidates and the claims each would disclose); nothing is taken. */
export async function planWithWallet(w: Wallet, request: AuthorizationRequest): Promise<PresentationPlan> {
  return languageOf(w, request).plan([...(await holdings(w, [])).values()].map(toRecord))
}

/**
 * The presentation flow behind `Wallet.present`: DCQL, or Presentation Exchange for the legacy drafts. A request
 * parsed earlier (to show a plan before consent, e.g. over an API) may be passed instead of the link: a request_uri
 * is fetched only once.
 */
export async function presentWithWallet(
  w: Wallet,
  link: string | AuthorizationRequest,
  o: PresentOptions,
): Promise<PresentResult> {
  const request = typeof link === 'string' ? await parseRequestWithWallet(w, link) : link
  return answerRequest(w, request, languageOf(w, request), o)
}

/** Plan, consent, take one copy per credential (all or none), sign, send, retire, log, refill. */
async function answerRequest(
  w: Wallet,
  request: AuthorizationRequest,
  lang: QueryLanguage,
  o: PresentOptions,
): Promise<PresentResult> {
  const skipped: SkippedCopy[] = []
  const pools = await holdings(w, skipped)
  const plan = lang.plan([...pools.values()].map(toRecord))
  if (!plan.satisfiable)
    throw new WalletError('wallet.request_unsatisfiable', 'the wallet holds no credentials that answer this request', {
      details: { queries: plan.queries.filter((q) => q.candidates.length === 0).map((q) => q.queryId), skipped },
    })
  const selection = await o.consent(plan, request)
  if (!selection) throw new WalletError('wallet.consent_declined', 'the user declined to share')
  lang.check(plan, selection)
  const taken = await takeAll(w, selection, pools, skipped)
  let response: ResponseParams
  try {
    response = await buildResponse(w, request, lang, plan, taken)
  } catch (e) {
    // nothing left the wallet: the copies go back, and the log says so
    await w.o.store.release(taken.map((t) => t.copy.id))
    await w.o.store.appendLog(logEntry(w, request, plan, taken, 'failed'))
    throw e
  }
  const sent = await send(w, request, response)
  await w.retire(taken.filter((t) => t.copy.state === 'used').map((t) => t.copy.id))
  const log = logEntry(w, request, plan, taken, sent.outcome, sent.redirectUri)
  await w.o.store.appendLog(log)
  return {
    plan,
    selection,
    ...sent,
    used: taken.map((t) => ({ queryId: t.queryId, poolId: t.pool.id, copyId: t.copy.id })),
    skipped,
    refills: o.refill === false ? [] : await refillLow(w, taken),
    log,
  }
}
