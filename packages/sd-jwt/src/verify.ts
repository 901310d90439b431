import type { KeyObject } from 'node:crypto'
import { type Clock, type JsonObject, systemClock, VcError } from '@bonafide/core'
import { checkJwtTimes, type JwsHeader, type ParsedJws, verifyJwsSignature } from '@bonafide/jose'
import { type JwsAlg, type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { decodeParts } from './decode.js'
import type { Disclosure } from './disclosure.js'
import { SdJwtError } from './errors.js'
import { type VerifyKbOptions, verifyKbJwt } from './kb-jwt.js'
import type { DisclosurePath } from './process.js'
import { joinCompact, SD_JWT_LIMITS, splitSdJwt } from './serialization.js'

/** Resolve the issuer's key from the (not yet verified) header and payload. Policy lives here, never in the token. */
export type IssuerKey = PublicJwk | KeyObject
/** Resolve the issuer's key (or candidate keys, tried in order) from the not-yet-verified header and payload. */
export type IssuerKeyResolver = (
  header: JwsHeader,
  payload: JsonObject,
) => IssuerKey | readonly IssuerKey[] | Promise<IssuerKey | readonly IssuerKey[]>

export interface KbPolicy extends VerifyKbOptions {
  /** Whether Key Binding is required: the verifier's policy (§7.3 step 1), never what was sent. */
  required: boolean
}

export interface VerifySdJwtOptions {
  issuerKey: IssuerKeyResolver
  kb?: KbPolicy
  clock?: Clock
  skewSeconds?: number
  algorithms?: readonly JwsAlg[]
  limits?: typeof SD_JWT_LIMITS
}

export interface VerifiedSdJwt {
  readonly header: JwsHeader
  /** The issuer-signed payload as signed (digests in place). */
  readonly payload: JsonObject
  /** The Processed SD-JWT Payload. */
  readonly claims: JsonObject
  readonly disclosures: readonly Disclosure[]
  readonly paths: readonly DisclosurePath[]
  readonly kb?: { header: JwsHeader; payload: JsonObject }
}

/** The holder key from `cnf` (§4.1.2); only `jwk` is supported. */
export function holderKeyFromCnf(claims: JsonObject): PublicJwk {
  const cnf = claims.cnf
  if (cnf === undefined) throw new SdJwtError('sd_jwt.cnf_missing', 'no cnf claim to verify the KB-JWT with')
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf) || !('jwk' in cnf)) {
    throw new SdJwtError('sd_jwt.cnf_invalid', 'cnf must hold a jwk')
  }
  try {
    return parsePublicJwk(cnf.jwk)
  } catch (cause) {
    throw new SdJwtError('sd_jwt.cnf_invalid', 'cnf.jwk is not a valid public key', { cause })
  }
}

function verifyWithAny(jwt: ParsedJws, keys: readonly IssuerKey[], algorithms?: readonly JwsAlg[]): void {
  let last: unknown
  for (const key of keys) {
    try {
      verifyJwsSignature(jwt, key, algorithms ? { algorithms } : {})
      return
    } catch (e) {
      last = e
    }
  }
  throw new SdJwtError('sd_jwt.issuer_signature_invalid', 'the issuer signature does not verify', { cause: last })
}

const TIME_CODES = { 'jose.expired': 'sd_jwt.expired', 'jose.not_yet_valid': 'sd_jwt.not_yet_valid' } as const

/**
 * Verify an SD-JWT or SD-JWT+KB: every check of RFC 9901 §7.1 and §7.3.
 * @example
 * const r = await verifySdJwt(vp, { issuerKey: () => issuerJwk, kb: { required: true, aud, nonce } })
 */
export async function verifySdJwt(token: string, o: VerifySdJwtOptions): Promise<VerifiedSdJwt> {
  const limits = o.limits ?? SD_JWT_LIMITS
  const parts = splitSdJwt(token, limits)
  // §7.3 step 2: the policy decides; a missing KB-JWT is rejected before any other work.
  if (o.kb?.required && !parts.kbJwt) throw new SdJwtError('sd_jwt.kb_required', 'Key Binding is required')
  const decoded = decodeParts(parts, limits)
  const { jwt } = decoded
  let keys: readonly IssuerKey[]
  try {
    let k = o.issuerKey(jwt.header, jwt.payload)
    // Static keys and x5c resolve synchronously: no microtask hop for them.
    if (typeof (k as PromiseLike<unknown> | undefined)?.then === 'function') k = await k
    keys = Array.isArray(k) ? k : [k as IssuerKey]
  } catch (cause) {
    if (cause instanceof VcError) throw cause
    throw new SdJwtError('sd_jwt.issuer_key_unresolved', 'the issuer key could not be resolved', { cause })
  }
  if (keys.length === 0) throw new SdJwtError('sd_jwt.issuer_key_unresolved', 'no issuer key for this credential')
  verifyWithAny(jwt, keys, o.algorithms)
  const now = Math.floor((o.clock ?? systemClock).now() / 1000)
  try {
    checkJwtTimes(decoded.claims, { now, skew: o.skewSeconds ?? 60 })
  } catch (e) {
    const code = TIME_CODES[(e as VcError).code as keyof typeof TIME_CODES] ?? 'sd_jwt.iat_invalid'
    throw new SdJwtError(code, (e as Error).message, { cause: e })
  }
  let kb: VerifiedSdJwt['kb']
  if (decoded.kbJwt) {
    // A KB-JWT that is present is verified even when not required: a forged one never passes silently.
    const holderKey = holderKeyFromCnf(decoded.claims)
    // sd_hash input: in the compact form, exactly the text before the KB-JWT; otherwise rebuilt from the parts.
    const presented =
      parts.serialization === 'compact' && parts.kbJwt
        ? token.slice(0, token.length - parts.kbJwt.length)
        : joinCompact(parts.jwt, parts.disclosures)
    verifyKbJwt(decoded.kbJwt, holderKey, presented, decoded.hashAlg, now, kbOptions(o))
    kb = { header: decoded.kbJwt.header, payload: decoded.kbJwt.payload }
  }
  const out: { -readonly [K in keyof VerifiedSdJwt]: VerifiedSdJwt[K] } = {
    header: jwt.header,
    payload: jwt.payload,
    claims: decoded.claims,
    disclosures: decoded.disclosures,
    paths: decoded.paths,
  }
  if (kb) out.kb = kb
  return out
}

const NO_KB_OPTIONS: VerifyKbOptions = {}

/** The KB policy with the skew to apply (the KB's own, else the SD-JWT's, else 60 s), copied only when it differs. */
function kbOptions(o: VerifySdJwtOptions): VerifyKbOptions {
  const kb = o.kb ?? NO_KB_OPTIONS
  if (kb.skewSeconds !== undefined || o.skewSeconds === undefined) return kb // verifyKbJwt defaults to 60
  return Object.assign({}, kb, { skewSeconds: o.skewSeconds })
}
