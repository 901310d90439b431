import {
  b64uEncode,
  type Clock,
  digestB64u,
  epochSeconds,
  isJsonObject,
  type JsonObject,
  OAuthError,
  type RandomSource,
  systemClock,
  systemRandom,
} from '@bonafide/core'
import { parseCompactJws, signCompactJws, verifyJwsSignature } from '@bonafide/jose'
import { type JwsAlg, jwkThumbprint, type PublicJwk, parsePublicJwk, type Signer } from '@bonafide/keys'
import { OAuth2Error } from './errors.js'
import type { ReplayGuard } from './replay.js'

export const DPOP_TYP = 'dpop+jwt'

/** Create a DPoP proof (RFC 9449 §4.2). `accessToken` adds `ath`. */
export async function createDpopProof(o: {
  signer: Signer
  htm: string
  htu: string
  nonce?: string
  accessToken?: string
  clock?: Clock
  random?: RandomSource
}): Promise<string> {
  const payload: JsonObject = {
    jti: b64uEncode((o.random ?? systemRandom).bytes(16)),
    htm: o.htm,
    htu: normalizeHtu(o.htu),
    iat: epochSeconds(o.clock ?? systemClock),
  }
  if (o.nonce) payload.nonce = o.nonce
  if (o.accessToken) payload.ath = digestB64u('sha-256', o.accessToken)
  return signCompactJws({ typ: DPOP_TYP, jwk: { ...o.signer.publicJwk } }, payload, o.signer)
}

/** RFC 9449 §4.3(9): compare htu without query and fragment. */
export function normalizeHtu(url: string): string {
  if (!URL.canParse(url)) throw new OAuth2Error('oauth2.dpop_invalid', 'htu is not a URL')
  const u = new URL(url)
  return `${u.protocol}//${u.host}${u.pathname}`
}

/** Server-side DPoP nonce provider (RFC 9449 §8). */
export interface DpopNonceSource {
  /** True when the nonce is currently acceptable. */
  check(nonce: string): Promise<boolean>
  /** A nonce to hand out in `DPoP-Nonce`. */
  current(): Promise<string>
}

export interface VerifyDpopOptions {
  method: string
  url: string
  replay: ReplayGuard
  clock?: Clock
  /** Maximum age of `iat` in seconds (default 60) and allowed skew (default 5). */
  maxAgeSeconds?: number
  skewSeconds?: number
  /** Bound access token: `ath` must be its hash. */
  accessToken?: string
  /** The key thumbprint the token is bound to (`cnf.jkt`). */
  expectedJkt?: string
  nonces?: DpopNonceSource
  algorithms?: readonly JwsAlg[]
  /** Resource server (401 + WWW-Authenticate) rather than the token endpoint (400). */
  resourceServer?: boolean
}

export interface VerifiedDpop {
  readonly jwk: PublicJwk
  readonly jkt: string
  readonly payload: JsonObject
}

function dpopError(o: VerifyDpopOptions, description: string, error = 'invalid_dpop_proof', extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extra }
  if (o.resourceServer) headers['www-authenticate'] = `DPoP error="${error}", algs="ES256 ES384 ES512 EdDSA"`
  return new OAuthError(error, description, { status: o.resourceServer ? 401 : 400, headers })
}

/**
 * Verify a DPoP proof per RFC 9449 §4.3: one header value, typ, asymmetric alg, embedded public
 * `jwk` without private members, signature, `htm`, `htu`, fresh `iat`, single-use `jti`, `ath`,
 * key binding and server nonce.
 */
export async function verifyDpopProof(headerValue: string | null, o: VerifyDpopOptions): Promise<VerifiedDpop> {
  if (!headerValue || headerValue.includes(',')) throw dpopError(o, 'exactly one DPoP header is required')
  let jws: ReturnType<typeof parseCompactJws>
  try {
    jws = parseCompactJws(headerValue, { maxLength: 8192 })
  } catch {
    throw dpopError(o, 'DPoP proof is malformed')
  }
  const { header, payload } = jws
  if (header.typ !== DPOP_TYP) throw dpopError(o, 'DPoP typ must be dpop+jwt')
  if (o.algorithms && !o.algorithms.includes(header.alg)) throw dpopError(o, 'DPoP alg not allowed')
  if (!isJsonObject(header.jwk) || 'd' in header.jwk) throw dpopError(o, 'DPoP jwk must be a public key')
  let jwk: PublicJwk
  try {
    jwk = parsePublicJwk(header.jwk)
    verifyJwsSignature(jws, jwk)
  } catch {
    throw dpopError(o, 'DPoP signature is invalid')
  }
  if (payload.htm !== o.method) throw dpopError(o, 'DPoP htm does not match')
  if (typeof payload.htu !== 'string') throw dpopError(o, 'DPoP htu missing')
  let htuOk = false
  try {
    htuOk = normalizeHtu(payload.htu) === normalizeHtu(o.url)
  } catch {
    htuOk = false
  }
  if (!htuOk) throw dpopError(o, 'DPoP htu does not match')
  const now = epochSeconds(o.clock ?? systemClock)
  const iat = payload.iat
  const maxAge = o.maxAgeSeconds ?? 60
  const skew = o.skewSeconds ?? 5
  if (typeof iat !== 'number' || iat > now + skew || iat < now - maxAge - skew) throw dpopError(o, 'DPoP iat is not fresh')
  if (typeof payload.jti !== 'string' || payload.jti.length < 8 || payload.jti.length > 256)
    throw dpopError(o, 'DPoP jti missing')
  if (o.accessToken !== undefined && payload.ath !== digestB64u('sha-256', o.accessToken))
    throw dpopError(o, 'DPoP ath does not match the access token')
  const jkt = jwkThumbprint(jwk)
  if (o.expectedJkt !== undefined && o.expectedJkt !== jkt) throw dpopError(o, 'DPoP key does not match the bound key')
  if (o.nonces) {
    const n = payload.nonce
    if (typeof n !== 'string' || !(await o.nonces.check(n))) {
      throw dpopError(o, 'a DPoP nonce is required', 'use_dpop_nonce', { 'dpop-nonce': await o.nonces.current() })
    }
  }
  if (!(await o.replay.useOnce(`dpop:${jkt}:${payload.jti}`, (now + maxAge + skew) * 1000)))
    throw dpopError(o, 'DPoP proof was already used')
  return { jwk, jkt, payload }
}
