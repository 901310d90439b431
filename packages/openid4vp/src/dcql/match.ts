import { hasOwn, isJsonObject, type JsonObject, type JsonValue } from '@bonafide/core'
import type { ClaimsPathPointer, ClaimValue, DcqlClaimsQuery, DcqlCredentialQuery, DcqlQuery } from './query.js'

/** A wallet credential as the matcher sees it (decoded, format-neutral). */
export interface CredentialRecord {
  readonly id: string
  readonly format: string
  /** dc+sd-jwt: vct (and aka_vcts). */
  readonly vct?: string
  readonly akaVcts?: readonly string[]
  /** mso_mdoc: docType. */
  readonly doctype?: string
  /** jwt_vc_json / ldp_vc: the credential's `type` array. */
  readonly types?: readonly string[]
  /** All claims the holder could disclose (mso_mdoc: `{ namespace: { element: value } }`). */
  readonly claims: JsonObject
  /** Trust information for `trusted_authorities`: AKIs (base64url) in the chain, trusted lists, federations. */
  readonly trust?: {
    readonly aki?: readonly string[]
    readonly etsi_tl?: readonly string[]
    readonly openid_federation?: readonly string[]
  }
  /** False for credentials that cannot prove holder binding. Default true. */
  readonly holderBinding?: boolean
}

export interface Candidate {
  readonly record: CredentialRecord
  /** The claims to disclose for this query (the minimal set: the selected claim set, or all requested claims). */
  readonly claims: readonly ClaimsPathPointer[]
  /** Index in `claim_sets` that was satisfied (the first the credential can satisfy). */
  readonly claimSetIndex?: number
}

export interface QueryMatch {
  readonly queryId: string
  readonly format: string
  readonly multiple: boolean
  readonly candidates: readonly Candidate[]
  readonly satisfied: boolean
}

export interface CredentialSetMatch {
  readonly index: number
  readonly required: boolean
  /** Indices of the options whose every credential query has a candidate. */
  readonly satisfiedOptions: readonly number[]
  readonly satisfied: boolean
}

export interface DcqlMatchResult {
  /** Whether the wallet can answer the whole query (OpenID4VP §6.4.2). */
  readonly satisfied: boolean
  readonly queries: Readonly<Record<string, QueryMatch>>
  readonly credentialSets: readonly CredentialSetMatch[]
}

/** Claims path pointer processing (§7.1 JSON, §7.2 mdoc); undefined when the claim does not exist. */
export function selectClaims(claims: JsonValue, path: ClaimsPathPointer, format: string): JsonValue[] | undefined {
  if (format === 'mso_mdoc') {
    const ns = isJsonObject(claims) && hasOwn(claims, path[0] as string) ? claims[path[0] as string] : undefined
    return isJsonObject(ns) && hasOwn(ns, path[1] as string) ? [ns[path[1] as string] as JsonValue] : undefined
  }
  let sel: JsonValue[] = [claims]
  for (const c of path) {
    const next: JsonValue[] = []
    for (const s of sel) {
      if (typeof c === 'string') {
        if (!isJsonObject(s)) return undefined
        if (hasOwn(s, c)) next.push(s[c] as JsonValue)
      } else if (c === null) {
        if (!Array.isArray(s)) return undefined
        next.push(...s)
      } else {
        if (!Array.isArray(s)) return undefined
        if (c < s.length) next.push(s[c] as JsonValue)
      }
    }
    if (next.length === 0) return undefined
    sel = next
  }
  return sel
}

function claimOk(r: CredentialRecord, q: DcqlClaimsQuery): boolean {
  const sel = selectClaims(r.claims, q.path, r.format)
  if (!sel) return false
  if (!q.values) return true
  const want: readonly ClaimValue[] = q.values
  return sel.some((v) => want.some((w) => w === v))
}

function trustedOk(r: CredentialRecord, q: DcqlCredentialQuery): boolean {
  if (!q.trusted_authorities) return true
  return q.trusted_authorities.some((t) => {
    const have = (r.trust as Record<string, readonly string[] | undefined> | undefined)?.[t.type]
    return !!have && t.values.some((v) => have.includes(v))
  })
}

function metaOk(r: CredentialRecord, q: DcqlCredentialQuery): boolean {
  if (r.format !== q.format) return false
  const m = q.meta
  if (q.format === 'dc+sd-jwt') return !m.vct_values || m.vct_values.some((v) => v === r.vct || !!r.akaVcts?.includes(v))
  if (q.format === 'mso_mdoc') return m.doctype_value === r.doctype
  if (m.type_values) return m.type_values.some((set) => set.every((t) => !!r.types?.includes(t)))
  return true
}

function evaluate(r: CredentialRecord, q: DcqlCredentialQuery): Candidate | undefined {
  if (!metaOk(r, q) || !trustedOk(r, q)) return undefined
  if (q.require_cryptographic_holder_binding && r.holderBinding === false) return undefined
  if (!q.claims) return { record: r, claims: [] }
  if (!q.claim_sets) return q.claims.every((c) => claimOk(r, c)) ? { record: r, claims: q.claims.map((c) => c.path) } : undefined
  const byId = new Map(q.claims.map((c) => [c.id as string, c]))
  for (const [i, set] of q.claim_sets.entries()) {
    const cs = set.map((id) => byId.get(id) as DcqlClaimsQuery)
    if (cs.every((c) => claimOk(r, c))) return { record: r, claims: cs.map((c) => c.path), claimSetIndex: i }
  }
  return undefined
}

/** Records grouped by format and type, so a query only looks at credentials that can match its meta. */
export class CredentialIndex {
  readonly #by = new Map<string, CredentialRecord[]>()
  readonly size: number

  constructor(records: readonly CredentialRecord[]) {
    this.size = records.length
    for (const r of records) {
      const keys =
        r.format === 'dc+sd-jwt' ? [r.vct, ...(r.akaVcts ?? [])] : r.format === 'mso_mdoc' ? [r.doctype] : (r.types ?? ['*'])
      for (const k of new Set(keys)) {
        const key = `${r.format}\u0000${k ?? ''}`
        let list = this.#by.get(key)
        if (!list) this.#by.set(key, (list = []))
        list.push(r)
      }
    }
  }

  /** Records that may match a query's format and meta (to be checked fully by the matcher). */
  prefilter(q: DcqlCredentialQuery): readonly CredentialRecord[] {
    const get = (k: string | undefined) => this.#by.get(`${q.format}\u0000${k ?? ''}`) ?? []
    if (q.format === 'dc+sd-jwt' && q.meta.vct_values) {
      const out = new Set<CredentialRecord>()
      for (const v of q.meta.vct_values) for (const r of get(v)) out.add(r)
      return [...out]
    }
    if (q.format === 'mso_mdoc') return get(q.meta.doctype_value)
    if (q.meta.type_values) {
      const out = new Set<CredentialRecord>()
      for (const set of q.meta.type_values) for (const r of get(set[set.length - 1])) out.add(r)
      return [...out]
    }
    const out: CredentialRecord[] = []
    for (const [k, v] of this.#by) if (k.startsWith(`${q.format}\u0000`)) out.push(...v)
    return out
  }
}

/**
 * Evaluate a DCQL query against a wallet (OpenID4VP §6.4): the candidates of every credential query
 * with the minimal claims each must disclose, and whether claim_sets and credential_sets can be satisfied.
 */
export function matchDcql(query: DcqlQuery, wallet: CredentialIndex | readonly CredentialRecord[]): DcqlMatchResult {
  const index = wallet instanceof CredentialIndex ? wallet : new CredentialIndex(wallet)
  const queries: Record<string, QueryMatch> = {}
  for (const q of query.credentials) {
    const candidates: Candidate[] = []
    for (const r of index.prefilter(q)) {
      const c = evaluate(r, q)
      if (c) candidates.push(c)
    }
    queries[q.id] = { queryId: q.id, format: q.format, multiple: q.multiple, candidates, satisfied: candidates.length > 0 }
  }
  const credentialSets = (query.credential_sets ?? []).map((s, index) => {
    const satisfiedOptions = s.options.flatMap((opt, i) => (opt.every((id) => queries[id]?.satisfied) ? [i] : []))
    return { index, required: s.required, satisfiedOptions, satisfied: satisfiedOptions.length > 0 }
  })
  const satisfied = query.credential_sets
    ? credentialSets.every((s) => s.satisfied || !s.required)
    : Object.values(queries).every((q) => q.satisfied)
  return { satisfied, queries, credentialSets }
}
