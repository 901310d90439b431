import { type Clock, type CredentialStatusResult, isJsonObject, isVcError, type JsonObject, systemClock } from '@bonafide/core'
import { selectClaims } from './dcql/match.js'
import type { DcqlClaimsQuery, DcqlCredentialQuery, DcqlQuery } from './dcql/query.js'

/** What the verifier asked for and bound the response to; the format validators need it. */
export interface ValidationContext {
  readonly query: DcqlCredentialQuery
  /** The client_id as sent (with its prefix); the KB-JWT `aud`. Over the DC API: `origin:<origin>`. */
  readonly clientId: string
  readonly nonce: string
  readonly responseUri?: string
  /** DC API only. */
  readonly origin?: string
  /** JWK thumbprint (raw SHA-256) of the response encryption key, when the response was encrypted. */
  readonly jwkThumbprint?: Uint8Array
  readonly transactionData?: readonly string[]
  readonly clock: Clock
}

/** One verified presentation, as a format validator reports it. */
export interface ValidatedPresentation {
  /** The disclosed claims (mdoc: `{ namespace: { element: value } }`). */
  readonly claims: JsonObject
  readonly vct?: string
  readonly doctype?: string
  readonly types?: readonly string[]
  readonly issuer?: string
  readonly status?: CredentialStatusResult
}

/** A per-format validator (dc+sd-jwt, mso_mdoc, jwt_vc_json). Throws a typed error when invalid. */
export interface PresentationValidator {
  readonly format: string
  validate(presentation: unknown, ctx: ValidationContext): Promise<ValidatedPresentation>
}

/** Single use of a nonce across sessions (and, through a shared store, across instances). */
export interface NonceGuard {
  /** True exactly once per value. */
  consume(nonce: string): Promise<boolean>
}

export class MemoryNonceGuard implements NonceGuard {
  readonly #used = new Set<string>()
  async consume(nonce: string): Promise<boolean> {
    if (this.#used.has(nonce)) return false
    this.#used.add(nonce)
    return true
  }
}

export interface QueryOutcome {
  readonly queryId: string
  readonly format: string
  readonly valid: boolean
  readonly error?: { code: string; message: string }
  /** Claims of each valid presentation. */
  readonly claims: readonly JsonObject[]
  readonly status?: readonly (CredentialStatusResult | undefined)[]
  /** Claims disclosed beyond what the query asked for (top-level paths), per presentation. */
  readonly overDisclosed?: readonly (readonly string[])[]
  readonly present: boolean
}

export interface ResponseValidationResult {
  readonly valid: boolean
  readonly credentials: readonly QueryOutcome[]
  /** Indices of required credential_sets no option of which is satisfied. */
  readonly unsatisfiedSets: readonly number[]
  readonly error?: { code: string; message: string }
}

/** What binds presentations to one request, shared by DCQL and Presentation Exchange validation. */
export interface PresentationBinding {
  validators: readonly PresentationValidator[]
  clientId: string
  nonce: string
  responseUri?: string
  origin?: string
  jwkThumbprint?: Uint8Array
  transactionData?: readonly string[]
  nonceGuard: NonceGuard
  /** Reject the whole response when any required credential, set, signature, binding, status or trust check fails (default true). */
  atomic?: boolean
  /** Treat an undetermined status as a failure (default true). */
  rejectUndeterminedStatus?: boolean
  clock?: Clock
}

export interface ValidateResponseOptions extends PresentationBinding {
  dcql: DcqlQuery
  vpToken: unknown
}

function claimsOk(disclosed: JsonObject, q: DcqlCredentialQuery, format: string): boolean {
  if (!q.claims) return true
  const ok = (c: DcqlClaimsQuery) => {
    const sel = selectClaims(disclosed, c.path, format)
    return !!sel && (!c.values || sel.some((v) => c.values?.some((w) => w === v)))
  }
  if (!q.claim_sets) return q.claims.every(ok)
  const byId = new Map(q.claims.map((c) => [c.id, c]))
  return q.claim_sets.some((set) => set.every((id) => ok(byId.get(id) as DcqlClaimsQuery)))
}

const BASE_CLAIMS = new Set(['iss', 'iat', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status', 'sub', 'aka_vcts'])

function overDisclosure(disclosed: JsonObject, q: DcqlCredentialQuery, format: string): string[] {
  const asked = new Set((q.claims ?? []).map((c) => (format === 'mso_mdoc' ? `${c.path[0]}/${c.path[1]}` : String(c.path[0]))))
  if (format === 'mso_mdoc') {
    return Object.entries(disclosed)
      .flatMap(([ns, els]) => (isJsonObject(els) ? Object.keys(els).map((e) => `${ns}/${e}`) : []))
      .filter((p) => !asked.has(p))
  }
  if (format === 'jwt_vc_json' || format === 'ldp_vc') {
    // W3C credentials are presented whole: what the holder reveals beyond the query is the subject's other claims.
    const subject = disclosed.credentialSubject
    if (asked.has('credentialSubject') && (q.claims ?? []).some((c) => c.path.length === 1)) return []
    const askedSubject = new Set((q.claims ?? []).filter((c) => c.path[0] === 'credentialSubject').map((c) => String(c.path[1])))
    const keys = isJsonObject(subject) ? Object.keys(subject).filter((k) => k !== 'id') : []
    return keys.filter((k) => !askedSubject.has(k)).map((k) => `credentialSubject/${k}`)
  }
  return Object.keys(disclosed).filter((k) => !BASE_CLAIMS.has(k) && !asked.has(k))
}

function metaOk(v: ValidatedPresentation, q: DcqlCredentialQuery): boolean {
  if (q.format === 'dc+sd-jwt') return !q.meta.vct_values || (!!v.vct && q.meta.vct_values.includes(v.vct))
  if (q.format === 'mso_mdoc') return v.doctype === q.meta.doctype_value
  if (q.meta.type_values) return q.meta.type_values.some((set) => set.every((t) => !!v.types?.includes(t)))
  return true
}

/** A validator's failure as an outcome error (typed errors keep their code). */
export function presentationError(e: unknown): { code: string; message: string } {
  return isVcError(e)
    ? { code: e.code, message: e.message }
    : { code: 'openid4vp.vp_token_invalid', message: 'presentation could not be validated' }
}

function failed(q: DcqlCredentialQuery, code: string, message: string): QueryOutcome {
  return { queryId: q.id, format: q.format, present: true, valid: false, error: { code, message }, claims: [] }
}

/** A status the verifier must refuse (revoked, suspended, undetermined unless allowed), as an outcome error. */
export function statusFailure(
  status: CredentialStatusResult | undefined,
  rejectUndetermined: boolean | undefined,
): { code: string; message: string } | undefined {
  if (status?.state === 'invalid') return { code: 'openid4vp.status_revoked', message: 'a credential is revoked' }
  if (status?.state === 'suspended') return { code: 'openid4vp.status_suspended', message: 'a credential is suspended' }
  if (status?.state === 'undetermined' && rejectUndetermined !== false)
    return { code: 'openid4vp.status_undetermined', message: 'a credential status could not be determined' }
  return undefined
}

/** The context handed to validators: built field by field (object spread followed by more members is slow in V8). */
export function validationContext(q: DcqlCredentialQuery, o: PresentationBinding, clock: Clock): ValidationContext {
  const ctx: { -readonly [K in keyof ValidationContext]: ValidationContext[K] } = {
    query: q,
    clientId: o.origin ? `origin:${o.origin}` : o.clientId,
    nonce: o.nonce,
    clock,
  }
  if (o.responseUri) ctx.responseUri = o.responseUri
  if (o.origin) ctx.origin = o.origin
  if (o.jwkThumbprint) ctx.jwkThumbprint = o.jwkThumbprint
  if (o.transactionData) ctx.transactionData = o.transactionData
  return ctx
}

async function validateQuery(
  q: DcqlCredentialQuery,
  entry: unknown,
  o: ValidateResponseOptions,
  v: PresentationValidator | undefined,
  clock: Clock,
): Promise<QueryOutcome> {
  if (!Array.isArray(entry) || entry.length === 0)
    return failed(q, 'openid4vp.vp_token_invalid', 'each vp_token entry is a non-empty array')
  if (!q.multiple && entry.length > 1)
    return failed(q, 'openid4vp.multiple_not_allowed', 'the query allows one presentation only')
  if (!v) return failed(q, 'openid4vp.format_unsupported', 'no validator for this format')
  const claims: JsonObject[] = []
  const status: (CredentialStatusResult | undefined)[] = []
  const over: string[][] = []
  const ctx = validationContext(q, o, clock)
  for (const p of entry) {
    let r: ValidatedPresentation
    try {
      r = await v.validate(p, ctx)
    } catch (e) {
      const err = presentationError(e)
      return failed(q, err.code, err.message)
    }
    if (!metaOk(r, q)) return failed(q, 'openid4vp.meta_mismatch', 'the credential type is not the one asked for')
    if (!claimsOk(r.claims, q, q.format))
      return failed(q, 'openid4vp.claims_not_disclosed', 'the requested claims were not disclosed')
    const refused = statusFailure(r.status, o.rejectUndeterminedStatus)
    if (refused) return failed(q, refused.code, refused.message)
    claims.push(r.claims)
    status.push(r.status)
    over.push(overDisclosure(r.claims, q, q.format))
  }
  return { queryId: q.id, format: q.format, present: true, valid: true, claims, status, overDisclosed: over }
}

/**
 * Validate a `vp_token` answering a DCQL query (OpenID4VP 1.0 §8.1, §6.4): entries by query id,
 * `multiple`, optional queries and required credential_sets, a per-format validator for each
 * presentation, disclosed-vs-asked and meta checks, status, nonce used once; atomic by default.
 */
export async function validateVpToken(o: ValidateResponseOptions): Promise<ResponseValidationResult> {
  const clock = o.clock ?? systemClock
  const reject = (code: string, message: string): ResponseValidationResult => ({
    valid: false,
    credentials: [],
    unsatisfiedSets: [],
    error: { code, message },
  })
  if (!(await o.nonceGuard.consume(o.nonce))) return reject('openid4vp.replay', 'this nonce was already used')
  if (!isJsonObject(o.vpToken)) return reject('openid4vp.vp_token_invalid', 'vp_token must be a JSON object keyed by query id')
  const queries = new Map(o.dcql.credentials.map((q) => [q.id, q]))
  for (const id of Object.keys(o.vpToken))
    if (!queries.has(id)) return reject('openid4vp.unknown_query_id', 'vp_token names a query that was not asked')
  const validators = new Map(o.validators.map((v) => [v.format, v]))
  const credentials: QueryOutcome[] = []
  for (const q of o.dcql.credentials) {
    const entry = (o.vpToken as Record<string, unknown>)[q.id]
    if (entry === undefined) {
      credentials.push({ queryId: q.id, format: q.format, valid: false, present: false, claims: [] })
      continue
    }
    credentials.push(await validateQuery(q, entry, o, validators.get(q.format), clock))
  }
  const ok = new Set(credentials.filter((c) => c.valid).map((c) => c.queryId))
  let unsatisfiedSets: number[] = []
  let requiredMissing: string[]
  if (o.dcql.credential_sets) {
    unsatisfiedSets = o.dcql.credential_sets.flatMap((s, i) =>
      s.required && !s.options.some((opt) => opt.every((id) => ok.has(id))) ? [i] : [],
    )
    requiredMissing = []
  } else {
    requiredMissing = credentials.filter((c) => !c.present).map((c) => c.queryId)
  }
  const anyFailed = credentials.some((c) => c.present && !c.valid)
  const atomic = o.atomic !== false
  const valid = unsatisfiedSets.length === 0 && requiredMissing.length === 0 && (!atomic || !anyFailed)
  const result: { -readonly [K in keyof ResponseValidationResult]: ResponseValidationResult[K] } = {
    valid,
    credentials: credentials.map((c) =>
      c.present
        ? c
        : {
            queryId: c.queryId,
            format: c.format,
            valid: c.valid,
            present: c.present,
            claims: c.claims,
            error: { code: 'openid4vp.credential_missing', message: 'no presentation for this query' },
          },
    ),
    unsatisfiedSets,
  }
  if (!valid) {
    result.error = {
      code: anyFailed
        ? (credentials.find((c) => c.present && !c.valid)?.error?.code ?? 'openid4vp.vp_token_invalid')
        : 'openid4vp.credential_missing',
      message: 'the response does not satisfy the request',
    }
  }
  return result
}
