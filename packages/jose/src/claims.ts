import type { JsonObject } from '@bonafide/core'
import { JoseError } from './errors.js'

export interface TimeCheckOptions {
  /** Current time, seconds since the epoch. */
  now: number
  /** Allowed clock skew in seconds (default 60). */
  skew?: number
  requireExp?: boolean
  requireIat?: boolean
  /** Reject an `iat` older than this many seconds (freshness of proofs, KB-JWTs). */
  maxAge?: number
}

function numericDate(payload: JsonObject, name: string): number | undefined {
  const v = payload[name]
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new JoseError('jose.claim_invalid', `${name} must be a NumericDate`)
  return v
}

/** RFC 7519 §4.1.4/4.1.5/4.1.6 time checks with skew, plus an optional `iat` freshness window. */
export function checkJwtTimes(payload: JsonObject, o: TimeCheckOptions): void {
  const skew = o.skew ?? 60
  const exp = numericDate(payload, 'exp')
  const nbf = numericDate(payload, 'nbf')
  const iat = numericDate(payload, 'iat')
  if (o.requireExp && exp === undefined) throw new JoseError('jose.claim_missing', 'exp is required')
  if (o.requireIat && iat === undefined) throw new JoseError('jose.claim_missing', 'iat is required')
  if (exp !== undefined && o.now - skew >= exp) throw new JoseError('jose.expired', 'token has expired')
  if (nbf !== undefined && o.now + skew < nbf) throw new JoseError('jose.not_yet_valid', 'token is not yet valid')
  if (iat !== undefined) {
    if (iat > o.now + skew) throw new JoseError('jose.iat_invalid', 'iat is in the future')
    if (o.maxAge !== undefined && o.now - iat > o.maxAge + skew) throw new JoseError('jose.iat_invalid', 'iat is too old')
  }
}

/** `aud` is a string or an array of strings, and contains the expected audience (RFC 7519 §4.1.3). */
export function checkAudience(payload: JsonObject, expected: string): void {
  const aud = payload.aud
  const ok = typeof aud === 'string' ? aud === expected : Array.isArray(aud) && aud.some((a) => a === expected)
  if (!ok) throw new JoseError('jose.aud_mismatch', 'audience does not match')
}

/** A required string claim. */
export function requireStringClaim(payload: JsonObject, name: string): string {
  const v = payload[name]
  if (v === undefined) throw new JoseError('jose.claim_missing', `${name} is required`)
  if (typeof v !== 'string' || v.length === 0) throw new JoseError('jose.claim_invalid', `${name} must be a non-empty string`)
  return v
}
