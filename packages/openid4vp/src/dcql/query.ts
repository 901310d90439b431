import { hasOwn, isJsonObject } from '@bonafide/core'
import { Openid4vpError } from '../errors.js'

export type ClaimsPathPointer = readonly (string | number | null)[]
export type ClaimValue = string | number | boolean

export interface DcqlClaimsQuery {
  readonly id?: string
  readonly path: ClaimsPathPointer
  readonly values?: readonly ClaimValue[]
  /** mso_mdoc only (ISO 18013-5 intent to retain). */
  readonly intent_to_retain?: boolean
}

export interface DcqlTrustedAuthority {
  readonly type: 'aki' | 'etsi_tl' | 'openid_federation' | (string & {})
  readonly values: readonly string[]
}

export interface DcqlCredentialQuery {
  readonly id: string
  readonly format: string
  readonly multiple: boolean
  readonly meta: {
    vct_values?: readonly string[]
    doctype_value?: string
    type_values?: readonly (readonly string[])[]
    [k: string]: unknown
  }
  readonly trusted_authorities?: readonly DcqlTrustedAuthority[]
  readonly require_cryptographic_holder_binding: boolean
  readonly claims?: readonly DcqlClaimsQuery[]
  readonly claim_sets?: readonly (readonly string[])[]
}

export interface DcqlCredentialSetQuery {
  readonly options: readonly (readonly string[])[]
  readonly required: boolean
}

export interface DcqlQuery {
  readonly credentials: readonly DcqlCredentialQuery[]
  readonly credential_sets?: readonly DcqlCredentialSetQuery[]
}

const ID = /^[A-Za-z0-9_-]+$/
const LIMIT = { credentials: 64, claims: 256, pathLength: 32, values: 256, sets: 64, options: 64 }

const fail = (where: string, what: string): never => {
  throw new Openid4vpError('openid4vp.dcql_invalid', `${where}: ${what}`, { details: { where } })
}

function nonEmptyArray(v: unknown, where: string, max: number): unknown[] {
  if (!Array.isArray(v) || v.length === 0) fail(where, 'must be a non-empty array')
  if ((v as unknown[]).length > max) fail(where, 'has too many entries')
  return v as unknown[]
}

function parsePath(v: unknown, where: string, format: string): ClaimsPathPointer {
  const p = nonEmptyArray(v, where, LIMIT.pathLength)
  for (const s of p) {
    if (!(typeof s === 'string' || s === null || (typeof s === 'number' && Number.isInteger(s) && s >= 0)))
      fail(where, 'claims path elements are strings, null or non-negative integers')
  }
  // OpenID4VP §7.2: an mdoc claims path is exactly [namespace, element].
  if (format === 'mso_mdoc' && (p.length !== 2 || p.some((s) => typeof s !== 'string')))
    fail(where, 'mso_mdoc paths are [namespace, element]')
  return p as ClaimsPathPointer
}

function parseMeta(v: unknown, format: string, where: string): DcqlCredentialQuery['meta'] {
  if (!isJsonObject(v)) return fail(where, 'meta is required and must be an object')
  // Appendix B: format-specific meta parameters.
  if (format === 'dc+sd-jwt' && hasOwn(v, 'vct_values')) {
    nonEmptyArray(v.vct_values, `${where}.vct_values`, 64).forEach((x) => {
      if (typeof x !== 'string') fail(`${where}.vct_values`, 'must hold strings')
    })
  }
  if (format === 'dc+sd-jwt' && !hasOwn(v, 'vct_values')) fail(where, 'dc+sd-jwt queries need meta.vct_values')
  if (format === 'mso_mdoc' && typeof v.doctype_value !== 'string') fail(where, 'mso_mdoc queries need meta.doctype_value')
  if ((format === 'jwt_vc_json' || format === 'ldp_vc') && hasOwn(v, 'type_values')) {
    for (const t of nonEmptyArray(v.type_values, `${where}.type_values`, 64)) {
      if (!Array.isArray(t) || t.length === 0 || t.some((x) => typeof x !== 'string'))
        fail(`${where}.type_values`, 'must be arrays of strings')
    }
  }
  if ((format === 'jwt_vc_json' || format === 'ldp_vc') && !hasOwn(v, 'type_values'))
    fail(where, `${format} queries need meta.type_values`)
  return v as DcqlCredentialQuery['meta']
}

function parseClaims(v: unknown, format: string, where: string): DcqlClaimsQuery[] {
  const ids = new Set<string>()
  return nonEmptyArray(v, where, LIMIT.claims).map((c, i) => {
    const w = `${where}[${i}]`
    if (!isJsonObject(c)) return fail(w, 'must be an object')
    if (c.id !== undefined) {
      if (typeof c.id !== 'string' || !ID.test(c.id)) fail(`${w}.id`, 'must be alphanumeric, _ or -')
      if (ids.has(c.id as string)) fail(`${w}.id`, 'is not unique')
      ids.add(c.id as string)
    }
    const out: DcqlClaimsQuery = { path: parsePath(c.path, `${w}.path`, format) }
    if (c.id !== undefined) (out as { id?: string }).id = c.id as string
    if (c.values !== undefined) {
      const vals = nonEmptyArray(c.values, `${w}.values`, LIMIT.values)
      if (
        vals.some((x) => !(typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isInteger(x))))
      ) {
        fail(`${w}.values`, 'must be strings, integers or booleans')
      }
      ;(out as { values?: ClaimValue[] }).values = vals as ClaimValue[]
    }
    if (c.intent_to_retain !== undefined) {
      if (format !== 'mso_mdoc' || typeof c.intent_to_retain !== 'boolean')
        fail(`${w}.intent_to_retain`, 'is a boolean for mso_mdoc only')
      ;(out as { intent_to_retain?: boolean }).intent_to_retain = c.intent_to_retain as boolean
    }
    return out
  })
}

function parseCredential(c: unknown, i: number): DcqlCredentialQuery {
  const w = `credentials[${i}]`
  if (!isJsonObject(c)) return fail(w, 'must be an object')
  if (typeof c.id !== 'string' || !ID.test(c.id)) fail(`${w}.id`, 'must be a non-empty string of alphanumerics, _ or -')
  if (typeof c.format !== 'string' || c.format.length === 0) fail(`${w}.format`, 'is required')
  const format = c.format as string
  for (const b of ['multiple', 'require_cryptographic_holder_binding'] as const) {
    if (c[b] !== undefined && typeof c[b] !== 'boolean') fail(`${w}.${b}`, 'must be a boolean')
  }
  const claims = c.claims === undefined ? undefined : parseClaims(c.claims, format, `${w}.claims`)
  let claimSets: string[][] | undefined
  if (c.claim_sets !== undefined) {
    if (!claims) fail(`${w}.claim_sets`, 'requires claims')
    const known = new Set((claims ?? []).map((x) => x.id))
    if ((claims ?? []).some((x) => x.id === undefined)) fail(`${w}.claims`, 'every claim needs an id when claim_sets is present')
    claimSets = nonEmptyArray(c.claim_sets, `${w}.claim_sets`, LIMIT.options).map((set, j) => {
      const ids = nonEmptyArray(set, `${w}.claim_sets[${j}]`, LIMIT.claims)
      for (const id of ids)
        if (typeof id !== 'string' || !known.has(id)) fail(`${w}.claim_sets[${j}]`, 'references an unknown claim id')
      return ids as string[]
    })
  }
  let trusted: DcqlTrustedAuthority[] | undefined
  if (c.trusted_authorities !== undefined) {
    trusted = nonEmptyArray(c.trusted_authorities, `${w}.trusted_authorities`, 16).map((t, j) => {
      const tw = `${w}.trusted_authorities[${j}]`
      if (!isJsonObject(t) || typeof t.type !== 'string') return fail(tw, 'needs a type')
      const values = nonEmptyArray(t.values, `${tw}.values`, 256)
      if (values.some((x) => typeof x !== 'string')) fail(`${tw}.values`, 'must be strings')
      return { type: t.type, values: values as string[] }
    })
  }
  return {
    id: c.id as string,
    format,
    multiple: c.multiple === true,
    meta: parseMeta(c.meta, format, `${w}.meta`),
    require_cryptographic_holder_binding: c.require_cryptographic_holder_binding !== false,
    ...(claims ? { claims } : {}),
    ...(claimSets ? { claim_sets: claimSets } : {}),
    ...(trusted ? { trusted_authorities: trusted } : {}),
  }
}

/** Parse a DCQL query strictly (OpenID4VP 1.0 §6); unknown members are ignored as the spec requires. */
export function parseDcqlQuery(input: unknown): DcqlQuery {
  if (!isJsonObject(input)) return fail('query', 'must be an object')
  const credentials = nonEmptyArray(input.credentials, 'credentials', LIMIT.credentials).map(parseCredential)
  const ids = new Set<string>()
  for (const c of credentials) {
    if (ids.has(c.id)) fail('credentials', `id ${c.id} is not unique`)
    ids.add(c.id)
  }
  let sets: DcqlCredentialSetQuery[] | undefined
  if (input.credential_sets !== undefined) {
    sets = nonEmptyArray(input.credential_sets, 'credential_sets', LIMIT.sets).map((s, i) => {
      const w = `credential_sets[${i}]`
      if (!isJsonObject(s)) return fail(w, 'must be an object')
      if (s.required !== undefined && typeof s.required !== 'boolean') fail(`${w}.required`, 'must be a boolean')
      const options = nonEmptyArray(s.options, `${w}.options`, LIMIT.options).map((o, j) => {
        const opt = nonEmptyArray(o, `${w}.options[${j}]`, LIMIT.credentials)
        for (const id of opt)
          if (typeof id !== 'string' || !ids.has(id)) fail(`${w}.options[${j}]`, 'references an unknown credential id')
        return opt as string[]
      })
      return { options, required: s.required !== false }
    })
  }
  return { credentials, ...(sets ? { credential_sets: sets } : {}) }
}
