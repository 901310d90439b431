import { isJsonObject, type JsonObject } from '@bonafide/core'
import { jwkThumbprint, parsePublicJwk } from '@bonafide/keys'
import { parseStatusReference } from '@bonafide/status-list'
import { invalidCopy } from './errors.js'
import type { Fingerprint } from './model.js'

/** A fingerprint being filled in (the optional members are set after the literal). */
export type FingerprintDraft = { -readonly [K in keyof Fingerprint]: Fingerprint[K] }

/** `iat`, `nbf`, `exp` of a JWT payload (RFC 7519 §4.1): NumericDates, strictly. */
export function jwtTimes(payload: JsonObject, index: number, names = ['iat', 'nbf', 'exp']): Fingerprint['timestamps'] {
  const out: { field: string; seconds: number }[] = []
  for (const field of names) {
    const v = payload[field]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidCopy(index, undefined, `${field} must be a NumericDate`)
    out.push({ field, seconds: v })
  }
  return out
}

/** The holder key of `cnf` (RFC 7800): the RFC 7638 thumbprint of `cnf.jwk`, else the `cnf` members as given. */
export function cnfKey(payload: JsonObject, index: number): Fingerprint['holderKey'] {
  const cnf = payload.cnf
  if (cnf === undefined) return undefined
  if (!isJsonObject(cnf)) throw invalidCopy(index, undefined, 'cnf must be an object')
  if (cnf.jwk === undefined) {
    const members = Object.keys(cnf).sort()
    return { field: 'cnf', kind: 'audit.same_holder_key', value: JSON.stringify(members.map((k) => [k, cnf[k]])) }
  }
  try {
    return { field: 'cnf.jwk', kind: 'audit.same_holder_key', value: jwkThumbprint(parsePublicJwk(cnf.jwk)) }
  } catch (cause) {
    throw invalidCopy(index, cause, 'cnf.jwk is not a valid public key')
  }
}

/** A Token Status List reference (`status.status_list`, draft-ietf-oauth-status-list-20 §6). */
export function tokenStatus(status: unknown, index: number, field = 'status.status_list.idx'): Fingerprint['status'] {
  if (status === undefined) return []
  if (!isJsonObject(status)) throw invalidCopy(index, undefined, 'status must be an object')
  // Other mechanisms (e.g. attested_claims) may sit beside status_list; only the list reference is an index.
  if (status.status_list === undefined) return []
  try {
    const r = parseStatusReference({ status_list: status.status_list })
    return r.kind === 'token-status-list' ? [{ field, list: r.uri, index: r.idx }] : []
  } catch (cause) {
    throw invalidCopy(index, cause, 'status.status_list is malformed')
  }
}

/** String identifiers by field; a value already seen in this copy under another field is not repeated. */
export function identifiers(pairs: readonly [string, unknown][], index: number): Fingerprint['identifiers'] {
  const out: { field: string; value: string }[] = []
  for (const [field, v] of pairs) {
    if (v === undefined) continue
    if (typeof v !== 'string') throw invalidCopy(index, undefined, `${field} must be a string`)
    if (!out.some((o) => o.value === v)) out.push({ field, value: v })
  }
  return out
}
