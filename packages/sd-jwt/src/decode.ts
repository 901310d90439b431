import { type HashAlg, isHashAlg, type JsonObject } from '@bonafide/core'
import { type ParsedJws, parseCompactJws } from '@bonafide/jose'
import { type Disclosure, parseDisclosure } from './disclosure.js'
import { SdJwtError } from './errors.js'
import { type DisclosurePath, processPayload } from './process.js'
import { SD_JWT_LIMITS, type SdJwtParts, splitSdJwt } from './serialization.js'

export interface DecodedSdJwt {
  readonly parts: SdJwtParts
  readonly jwt: ParsedJws
  readonly hashAlg: HashAlg
  readonly disclosures: readonly Disclosure[]
  /** Processed payload with every given disclosure applied (§7.1 step 3). */
  readonly claims: JsonObject
  /** Where each disclosure sits in `claims`. */
  readonly paths: readonly DisclosurePath[]
  readonly kbJwt?: ParsedJws
}

/** The `_sd_alg` of a payload; sha-256 when absent (§4.1.1). */
export function payloadHashAlg(payload: JsonObject): HashAlg {
  const alg = payload._sd_alg
  if (alg === undefined) return 'sha-256'
  if (!isHashAlg(alg)) throw new SdJwtError('sd_jwt.hash_alg_unsupported', '_sd_alg is not a supported hash algorithm')
  return alg
}

/**
 * Parse an SD-JWT (either serialization) and apply its disclosures, without checking any
 * signature. For holders (after `verifySdJwt` at receipt) and for `bonafide decode`.
 */
export function decodeSdJwt(token: string, limits = SD_JWT_LIMITS): DecodedSdJwt {
  const parts = splitSdJwt(token, limits)
  return decodeParts(parts, limits)
}

export function decodeParts(parts: SdJwtParts, limits = SD_JWT_LIMITS): DecodedSdJwt {
  const jwt = parseCompactJws(parts.jwt, { maxLength: limits.maxLength })
  const hashAlg = payloadHashAlg(jwt.payload)
  const disclosures = parts.disclosures.map((d) => parseDisclosure(d, hashAlg))
  const { claims, paths } = processPayload(jwt.payload, disclosures, limits.maxDepth)
  const kbJwt = parts.kbJwt ? parseCompactJws(parts.kbJwt, { maxLength: limits.maxLength }) : undefined
  return { parts, jwt, hashAlg, disclosures, claims, paths, ...(kbJwt ? { kbJwt } : {}) }
}
