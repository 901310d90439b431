import { isJsonObject } from '@bonafide/core'
import { SdJwtError } from './errors.js'

/** Default limits on untrusted SD-JWTs. */
export const SD_JWT_LIMITS = {
  maxLength: 512 * 1024,
  maxDisclosures: 1024,
  maxDepth: 64,
} as const

/** An SD-JWT split into its parts, as text; nothing decoded yet. */
export interface SdJwtParts {
  readonly jwt: string
  readonly disclosures: readonly string[]
  readonly kbJwt?: string
  /** How it arrived, so a presentation can be answered in the same serialization. */
  readonly serialization: 'compact' | 'json-flattened' | 'json-general'
  /** JSON serialization only: header members other than `disclosures`/`kb_jwt` (not integrity protected). */
  readonly unprotectedHeader?: Readonly<Record<string, unknown>>
  /** General JSON serialization only: the signatures after the first, kept as received. */
  readonly extraSignatures?: readonly Readonly<Record<string, unknown>>[]
}

const SEG = /^[A-Za-z0-9_-]+$/

/**
 * Split a compact SD-JWT or SD-JWT+KB by hand (RFC 9901 §4): `<JWT>~<D1>~…~<Dn>~[<KB-JWT>]`.
 * Rejects empty disclosures (`~~`), a missing trailing `~`, and oversize input.
 */
export function splitCompact(token: string, limits = SD_JWT_LIMITS): SdJwtParts {
  if (typeof token !== 'string') throw new SdJwtError('sd_jwt.malformed', 'SD-JWT must be a string')
  if (token.length > limits.maxLength) throw new SdJwtError('sd_jwt.too_large', 'SD-JWT too large')
  const first = token.indexOf('~')
  if (first < 0) throw new SdJwtError('sd_jwt.malformed', 'an SD-JWT contains at least one ~')
  const jwt = token.slice(0, first)
  const rest = token.slice(first + 1)
  const parts = rest.split('~')
  if (parts.length - 1 > limits.maxDisclosures) throw new SdJwtError('sd_jwt.too_many_disclosures', 'too many disclosures')
  const last = parts.pop() as string
  // Each disclosure's alphabet is checked when it is decoded (parseDisclosure); here only emptiness (`~~`).
  for (const d of parts) if (d.length === 0) throw new SdJwtError('sd_jwt.malformed', 'empty disclosure')
  if (last !== '' && !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(last)) {
    throw new SdJwtError('sd_jwt.malformed', 'the part after the last ~ must be empty or a KB-JWT')
  }
  return { jwt, disclosures: parts, ...(last ? { kbJwt: last } : {}), serialization: 'compact' }
}

/** Join parts into the compact form (`sd_hash` input when there is no KB-JWT). */
export function joinCompact(jwt: string, disclosures: readonly string[], kbJwt?: string): string {
  let s = `${jwt}~`
  for (const d of disclosures) s += `${d}~`
  return kbJwt ? s + kbJwt : s
}

function stringArray(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new SdJwtError('sd_jwt.malformed', `${what} must be an array of strings`)
  return v as string[]
}

/** Parse an SD-JWT in JWS JSON Serialization, flattened or general (RFC 9901 §8). */
export function splitJson(input: unknown, limits = SD_JWT_LIMITS): SdJwtParts {
  if (!isJsonObject(input)) throw new SdJwtError('sd_jwt.malformed', 'JSON serialization must be an object')
  const { payload } = input
  if (typeof payload !== 'string' || !SEG.test(payload)) throw new SdJwtError('sd_jwt.malformed', 'payload must be base64url')
  let sig: Record<string, unknown>
  let serialization: SdJwtParts['serialization']
  if (input.signatures !== undefined) {
    const sigs = input.signatures
    if (!Array.isArray(sigs) || sigs.length === 0 || !sigs.every(isJsonObject))
      throw new SdJwtError('sd_jwt.malformed', 'signatures must be a non-empty array')
    // §8.3: disclosures and kb_jwt only in the first unprotected header.
    for (const s of sigs.slice(1)) {
      const h = s.header
      if (isJsonObject(h) && ('disclosures' in h || 'kb_jwt' in h)) {
        throw new SdJwtError('sd_jwt.malformed', 'disclosures and kb_jwt belong in the first signature header only')
      }
    }
    sig = sigs[0] as Record<string, unknown>
    serialization = 'json-general'
  } else {
    sig = input
    serialization = 'json-flattened'
  }
  const { protected: prot, signature } = sig
  if (typeof prot !== 'string' || !SEG.test(prot) || typeof signature !== 'string' || !SEG.test(signature)) {
    throw new SdJwtError('sd_jwt.malformed', 'protected and signature must be base64url')
  }
  const header = sig.header === undefined ? {} : sig.header
  if (!isJsonObject(header)) throw new SdJwtError('sd_jwt.malformed', 'header must be an object')
  const { disclosures: d, kb_jwt: kb, ...others } = header
  const disclosures = d === undefined ? [] : stringArray(d, 'disclosures')
  if (disclosures.length > limits.maxDisclosures) throw new SdJwtError('sd_jwt.too_many_disclosures', 'too many disclosures')
  for (const x of disclosures) if (!SEG.test(x)) throw new SdJwtError('sd_jwt.malformed', 'empty or non-base64url disclosure')
  if (kb !== undefined && (typeof kb !== 'string' || kb.split('.').length !== 3))
    throw new SdJwtError('sd_jwt.malformed', 'kb_jwt must be a JWT')
  return {
    jwt: `${prot}.${payload}.${signature}`,
    disclosures,
    ...(typeof kb === 'string' ? { kbJwt: kb } : {}),
    serialization,
    unprotectedHeader: others,
    ...(serialization === 'json-general' ? { extraSignatures: (input.signatures as Record<string, unknown>[]).slice(1) } : {}),
  }
}

/** Split either serialization; JSON text starts with `{`. */
export function splitSdJwt(token: string, limits = SD_JWT_LIMITS): SdJwtParts {
  if (typeof token !== 'string') throw new SdJwtError('sd_jwt.malformed', 'SD-JWT must be a string')
  if (token.length > limits.maxLength) throw new SdJwtError('sd_jwt.too_large', 'SD-JWT too large')
  const t = token.trimStart()
  if (t.startsWith('{')) {
    let v: unknown
    try {
      v = JSON.parse(t)
    } catch {
      throw new SdJwtError('sd_jwt.malformed', 'invalid JSON serialization')
    }
    return splitJson(v, limits)
  }
  return splitCompact(token, limits)
}

/** Render parts in a JSON serialization (§8.2 flattened, §8.3 general). */
export function toJsonSerialization(
  parts: Pick<SdJwtParts, 'jwt' | 'disclosures' | 'kbJwt' | 'extraSignatures'>,
  form: 'flattened' | 'general',
  extraHeader: Record<string, unknown> = {},
): Record<string, unknown> {
  const [prot, payload, signature] = parts.jwt.split('.')
  const header = { ...extraHeader, disclosures: [...parts.disclosures], ...(parts.kbJwt ? { kb_jwt: parts.kbJwt } : {}) }
  return form === 'flattened'
    ? { header, payload, protected: prot, signature }
    : { payload, signatures: [{ header, protected: prot, signature }] }
}
