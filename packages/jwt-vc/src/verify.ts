import type { KeyObject } from 'node:crypto'
import {
  type Clock,
  type CredentialStatusResult,
  type JsonObject,
  type StatusChecker,
  systemClock,
  type VcError,
} from '@bonafide/core'
import { checkJwtTimes, type JwsHeader, type ParsedJws } from '@bonafide/jose'
import type { JwsAlg, PublicJwk } from '@bonafide/keys'
import { type DecodedJwtVc, decodeV1, decodeV2, detectVersion } from './decode.js'
import { JwtVcError } from './errors.js'
import { issuerKeyResolverFor, type JwtVcIssuerKeyPolicy } from './issuer-keys.js'
import { parseJwt, rethrow, verifyWithAny } from './jws.js'
import { JWT_VC_LIMITS, type VcVersion } from './model.js'
import { checkCredentialStatus, type JwtVcStatusPolicy, parseCredentialStatus } from './status.js'

export interface VerifyJwtVcOptions {
  issuerKeys: JwtVcIssuerKeyPolicy
  clock?: Clock
  /** Allowed clock skew in seconds (default 60). */
  skewSeconds?: number
  /** Data models accepted (default both). */
  versions?: readonly VcVersion[]
  algorithms?: readonly JwsAlg[]
  /** VCDM 1.1: refuse a JWT without `typ` (absent is conformant, so accepted by default). */
  requireTyp?: boolean
  maxLength?: number
  /** Checks `credentialStatus` when present (Bitstring Status List, …). */
  statusChecker?: StatusChecker
  statusPolicy?: JwtVcStatusPolicy
}

export interface VerifiedJwtVc extends DecodedJwtVc {
  readonly header: JwsHeader
  /** The JWT claims set as signed. */
  readonly payload: JsonObject
  readonly issuerKey: PublicJwk | KeyObject
  readonly status?: CredentialStatusResult
}

const TIME_CODES = { 'jose.expired': 'jwt_vc.expired', 'jose.not_yet_valid': 'jwt_vc.not_yet_valid' } as const

/** exp / nbf / iat (RFC 7519 §4.1.4-6) and validFrom / validUntil (VCDM 2.0 §4.9), issuanceDate / expirationDate (1.1). */
export function checkValidity(payload: JsonObject, d: DecodedJwtVc, now: number, skew: number): void {
  try {
    checkJwtTimes(payload, { now, skew })
  } catch (e) {
    const code = TIME_CODES[(e as VcError).code as keyof typeof TIME_CODES] ?? 'jwt_vc.iat_invalid'
    throw new JwtVcError(code, (e as Error).message, { cause: e })
  }
  if (d.validUntil !== undefined && now - skew >= d.validUntil)
    throw new JwtVcError('jwt_vc.expired', 'the credential is past its validUntil / expirationDate')
  if (d.validFrom !== undefined && now + skew < d.validFrom)
    throw new JwtVcError('jwt_vc.not_yet_valid', 'the credential is not valid yet (validFrom / issuanceDate)')
}

/** Parse and check the data model of a JWT VC, without signature, time or status checks. */
export function decodeJwtVc(
  token: string,
  o: { versions?: readonly VcVersion[]; requireTyp?: boolean; maxLength?: number } = {},
): DecodedJwtVc & { header: JwsHeader; payload: JsonObject } {
  const { jws, decoded } = decodeJws(token, o)
  return { ...decoded, header: jws.header, payload: jws.payload }
}

function decodeJws(
  token: string,
  o: { versions?: readonly VcVersion[]; requireTyp?: boolean; maxLength?: number },
): { jws: ParsedJws; decoded: DecodedJwtVc } {
  const jws = parseJwt(token, o.maxLength ?? JWT_VC_LIMITS.maxCredentialLength)
  const version = detectVersion(jws.header, jws.payload, o.requireTyp === true)
  if (o.versions && !o.versions.includes(version))
    throw new JwtVcError('jwt_vc.typ_invalid', `VC Data Model ${version} is not accepted here`)
  return { jws, decoded: version === '2.0' ? decodeV2(jws.header, jws.payload) : decodeV1(jws.payload) }
}

/**
 * Verify a W3C VC secured as a JWT (VCDM 1.1 §6.3.1 `jwt_vc_json`, or VCDM 2.0 with VC-JOSE-COSE `vc+jwt`):
 * strict parsing, `typ`, data model and claim mapping, issuer key by policy (DID assertionMethod, static
 * keys, x5c), signature, validity with the injected clock, and `credentialStatus` through the checker.
 * @example const r = await verifyJwtVc(jwt, { issuerKeys: { did: true }, statusChecker })
 */
export async function verifyJwtVc(token: string, o: VerifyJwtVcOptions): Promise<VerifiedJwtVc> {
  const clock = o.clock ?? systemClock
  const { jws, decoded: d } = decodeJws(token, o)
  const status = d.credential.credentialStatus
  if (status !== undefined) parseCredentialStatus(status)
  const nowMs = clock.now()
  let keys: readonly (PublicJwk | KeyObject)[]
  try {
    const k = issuerKeyResolverFor(o.issuerKeys)(d.issuer, jws.header, nowMs)
    keys = k instanceof Promise ? await k : k
  } catch (e) {
    rethrow(e, 'jwt_vc.issuer_untrusted', 'the issuer key could not be resolved')
  }
  const issuerKey = verifyWithAny(jws, keys, o.algorithms)
  checkValidity(jws.payload, d, Math.floor(nowMs / 1000), o.skewSeconds ?? 60)
  const checked =
    status !== undefined && o.statusChecker
      ? await checkCredentialStatus(status, o.statusChecker, nowMs, o.statusPolicy)
      : undefined
  const r = d as { -readonly [K in keyof VerifiedJwtVc]: VerifiedJwtVc[K] }
  r.header = jws.header
  r.payload = jws.payload
  r.issuerKey = issuerKey
  if (checked) r.status = checked
  return r
}
