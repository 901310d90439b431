import { b64uDecode, isJsonObject, type JsonValue, parseJson, utf8Decode } from '@bonafide/core'
import { type CredentialIndex, type CredentialRecord, matchDcql, selectClaims } from '../dcql/match.js'
import type { ClaimsPathPointer, DcqlQuery } from '../dcql/query.js'
import { Openid4vpError } from '../errors.js'

/** What the planner needs from a parsed request (see `parseAuthorizationRequest`). */
export interface PlannableRequest {
  readonly clientId: string
  readonly verifierSubject?: string
  readonly responseUri?: string
  readonly responseMode?: string
  readonly dcql: DcqlQuery
  readonly transactionData?: readonly string[]
}

export interface PlannedClaim {
  readonly path: ClaimsPathPointer
  /** The values that would be disclosed at this path. */
  readonly values: readonly JsonValue[]
}

export interface PlannedCandidate {
  readonly credentialId: string
  readonly record: CredentialRecord
  readonly claims: readonly PlannedClaim[]
}

export interface PlannedQuery {
  readonly queryId: string
  readonly format: string
  readonly multiple: boolean
  /** `required`: the answer fails without it; `optional`: in an optional credential set; `alternative`: in an option not chosen by default. */
  readonly role: 'required' | 'optional' | 'alternative'
  readonly candidates: readonly PlannedCandidate[]
  /** Transaction data types bound to this query (§8.4). */
  readonly transactionData: readonly string[]
}

export interface PresentationPlan {
  readonly verifier: { readonly clientId: string; readonly subject?: string; readonly responseUri?: string }
  readonly queries: readonly PlannedQuery[]
  readonly credentialSets: readonly {
    readonly index: number
    readonly required: boolean
    readonly options: readonly (readonly string[])[]
    readonly satisfiedOptions: readonly number[]
  }[]
  /** Can the wallet answer every required part? */
  readonly satisfiable: boolean
  /** The default answer: query id → the credential ids to present (first candidate of each chosen query). */
  readonly selection: Readonly<Record<string, readonly string[]>>
  /** Transaction data to sign, each with the query ids it may be bound to (one of them is used). */
  readonly transactionData: readonly { readonly type: string; readonly credentialIds: readonly string[] }[]
}

/** Transaction data (§8.4) as the wallet sees it: type and the query ids it binds to. */
export function decodeTransactionData(encoded: string): { type: string; credentialIds: string[] } {
  try {
    const v = parseJson(utf8Decode(b64uDecode(encoded)), { maxLength: 64 * 1024 })
    if (isJsonObject(v) && typeof v.type === 'string' && Array.isArray(v.credential_ids)) {
      const ids = v.credential_ids.filter((x): x is string => typeof x === 'string')
      if (ids.length === v.credential_ids.length && ids.length > 0) return { type: v.type, credentialIds: ids }
    }
  } catch {
    // fall through
  }
  throw new Openid4vpError('openid4vp.request_invalid', 'transaction_data entry is malformed')
}

/** §8.4: every entry names credential queries of this request, and (when the wallet says which) a type it knows. */
function checkTransactionData(request: PlannableRequest, known?: readonly string[]) {
  const ids = new Set(request.dcql.credentials.map((c) => c.id))
  return (request.transactionData ?? []).map((encoded) => {
    const t = decodeTransactionData(encoded)
    if (!t.credentialIds.every((id) => ids.has(id)))
      throw new Openid4vpError('openid4vp.request_invalid', 'transaction_data names a credential query the request does not have')
    if (known && !known.includes(t.type))
      throw new Openid4vpError('openid4vp.request_invalid', 'transaction_data of a type this wallet does not support')
    return { ...t, encoded }
  })
}

function roles(q: DcqlQuery, satisfied: (id: string) => boolean): Map<string, PlannedQuery['role']> {
  const out = new Map<string, PlannedQuery['role']>()
  if (!q.credential_sets) {
    for (const c of q.credentials) out.set(c.id, 'required')
    return out
  }
  for (const s of q.credential_sets) {
    // an optional set is offered only when one of its options can be answered whole
    const chosen = s.options.find((o) => o.every(satisfied)) ?? (s.required ? (s.options[0] ?? []) : [])
    for (const id of chosen) if (out.get(id) !== 'required') out.set(id, s.required ? 'required' : 'optional')
  }
  for (const c of q.credentials) if (!out.has(c.id)) out.set(c.id, 'alternative')
  return out
}

/**
 * Plan the answer to a request (OpenID4VP §6.4): for each credential query its role, the wallet's
 * candidates with the claims (and values) each would disclose, the credential sets, and a default
 * selection — what a consent screen shows before anything is signed.
 */
export function planPresentation(
  request: PlannableRequest,
  wallet: CredentialIndex | readonly CredentialRecord[],
  o: { transactionDataTypes?: readonly string[] } = {},
): PresentationPlan {
  const m = matchDcql(request.dcql, wallet)
  const role = roles(request.dcql, (id) => m.queries[id]?.satisfied === true)
  const td = checkTransactionData(request, o.transactionDataTypes)
  const queries: PlannedQuery[] = request.dcql.credentials.map((q) => {
    const match = m.queries[q.id]
    const candidates = (match?.candidates ?? []).map((c) => ({
      credentialId: c.record.id,
      record: c.record,
      claims: c.claims.map((path) => ({ path, values: selectClaims(c.record.claims, path, q.format) ?? [] })),
    }))
    return {
      queryId: q.id,
      format: q.format,
      multiple: q.multiple,
      role: role.get(q.id) ?? 'required',
      candidates,
      transactionData: td.filter((t) => t.credentialIds.includes(q.id)).map((t) => t.type),
    }
  })
  const selection: Record<string, string[]> = {}
  for (const q of queries) {
    const first = q.candidates[0]
    if (q.role !== 'alternative' && first) selection[q.queryId] = [first.credentialId]
  }
  return {
    verifier: {
      clientId: request.clientId,
      ...(request.verifierSubject ? { subject: request.verifierSubject } : {}),
      ...(request.responseUri ? { responseUri: request.responseUri } : {}),
    },
    queries,
    credentialSets: m.credentialSets.map((s) => ({
      index: s.index,
      required: s.required,
      options: request.dcql.credential_sets?.[s.index]?.options ?? [],
      satisfiedOptions: s.satisfiedOptions,
    })),
    satisfiable: m.satisfied,
    selection,
    transactionData: td.map((t) => ({ type: t.type, credentialIds: t.credentialIds })),
  }
}

/** Check that a (possibly user-edited) selection answers the query: known candidates, `multiple`, required sets. */
export function checkSelection(plan: PresentationPlan, selection: Readonly<Record<string, readonly string[]>>): void {
  const byId = new Map(plan.queries.map((q) => [q.queryId, q]))
  for (const [id, creds] of Object.entries(selection)) {
    const q = byId.get(id)
    if (!q) throw new Openid4vpError('openid4vp.unknown_query_id', 'selection names a query the request does not have')
    if (creds.length === 0 || (!q.multiple && creds.length > 1))
      throw new Openid4vpError(
        'openid4vp.multiple_not_allowed',
        `query ${id} takes ${q.multiple ? 'one or more' : 'one'} credential`,
      )
    for (const c of creds)
      if (!q.candidates.some((k) => k.credentialId === c))
        throw new Openid4vpError('openid4vp.credential_missing', `credential is not a candidate for query ${id}`)
  }
  const answered = (id: string) => (selection[id]?.length ?? 0) > 0
  for (const t of plan.transactionData)
    if (!t.credentialIds.some(answered))
      throw new Openid4vpError('openid4vp.credential_missing', `transaction data ${t.type} needs one of its credentials selected`)
  for (const s of plan.credentialSets) {
    const touched = s.options.some((o) => o.some(answered))
    if (touched && !s.options.some((o) => o.every(answered)))
      throw new Openid4vpError('openid4vp.credential_missing', `credential set ${s.index} must be answered by a whole option`)
  }
  if (plan.credentialSets.length === 0) {
    for (const q of plan.queries)
      if (!answered(q.queryId)) throw new Openid4vpError('openid4vp.credential_missing', `query ${q.queryId} is required`)
    return
  }
  for (const s of plan.credentialSets)
    if (s.required && !s.options.some((o) => o.every(answered)))
      throw new Openid4vpError('openid4vp.credential_missing', `credential set ${s.index} is required`)
}
