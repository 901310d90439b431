import { X509Certificate } from 'node:crypto'
import { type Clock, isJsonObject, type JsonObject, OAuthError } from '@bonafide/core'
import { decodeX5c, type ParsedJws, parseCompactJws, verifyJwsSignature } from '@bonafide/jose'
import { exportPublicJwk, type JwsAlg, jwkThumbprint, type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { type KeyAttestationPolicy, verifyKeyAttestation } from './key-attestation.js'

export const PROOF_TYP = 'openid4vci-proof+jwt'

export interface ProofCheckOptions {
  issuer: string
  clock: Clock
  algorithms: readonly JwsAlg[]
  /** Maximum proof age in seconds (default 300) and future skew (default 60). */
  maxAgeSeconds?: number
  skewSeconds?: number
  /** `iss` must equal this client_id when the token was issued to an identified client. */
  clientId?: string
  /** The token came from anonymous pre-authorized access: proofs MUST NOT carry `iss` (Appendix F.1). */
  anonymous?: boolean
  keyAttestation?: KeyAttestationPolicy & { mandatory: boolean; profile: 'openid4vci' | 'ts3' }
  /** Resolve a `kid` (e.g. a DID URL) to the key to bind; without it, `kid` proofs are refused. */
  resolveKid?: (kid: string) => Promise<PublicJwk | undefined>
}

/** A verified proof: the keys to bind (one, or the attested keys) and the nonce to consume. */
export interface VerifiedProof {
  readonly keys: readonly PublicJwk[]
  readonly nonce: string | undefined
  readonly attested: boolean
}

const bad = (d: string) => new OAuthError('invalid_proof', d)

function parse(token: string): ParsedJws {
  try {
    return parseCompactJws(token, { maxLength: 64 * 1024 })
  } catch {
    throw bad('proof is malformed or uses a forbidden algorithm')
  }
}

function checkClaims(p: JsonObject, o: ProofCheckOptions): string | undefined {
  if (p.aud !== o.issuer && !(Array.isArray(p.aud) && p.aud.length === 1 && p.aud[0] === o.issuer))
    throw bad('proof aud must be the credential issuer')
  const now = Math.floor(o.clock.now() / 1000)
  if (typeof p.iat !== 'number') throw bad('proof iat is required')
  if (p.iat > now + (o.skewSeconds ?? 60) || p.iat < now - (o.maxAgeSeconds ?? 300)) throw bad('proof iat is outside the window')
  if (p.iss !== undefined && o.anonymous) throw bad('proof iss must be omitted for anonymous pre-authorized access')
  if (p.iss !== undefined && (typeof p.iss !== 'string' || (o.clientId !== undefined && p.iss !== o.clientId)))
    throw bad('proof iss does not match the client')
  if (p.nonce !== undefined && typeof p.nonce !== 'string') throw bad('proof nonce must be a string')
  return p.nonce
}

function headerKey(h: JsonObject): PublicJwk | undefined {
  const present = ['jwk', 'kid', 'x5c'].filter((k) => h[k] !== undefined)
  if (present.length > 1) throw bad('proof must carry exactly one of jwk, kid, x5c')
  if (h.jwk === undefined) return undefined
  if (!isJsonObject(h.jwk) || 'd' in h.jwk || 'p' in h.jwk || 'k' in h.jwk) throw bad('proof jwk must be a public key')
  try {
    return parsePublicJwk(h.jwk)
  } catch {
    throw bad('proof jwk is invalid')
  }
}

/** Appendix F.1: the key to bind from `x5c` (the first certificate's key) or from `kid` via the resolver. */
async function keyFromKidOrX5c(h: JsonObject, o: ProofCheckOptions): Promise<PublicJwk | undefined> {
  if (h.x5c !== undefined) {
    try {
      const der = decodeX5c(h.x5c)[0]
      if (!der) return undefined
      return exportPublicJwk(new X509Certificate(der).publicKey)
    } catch {
      throw bad('proof x5c is invalid')
    }
  }
  if (h.kid !== undefined) {
    if (typeof h.kid !== 'string' || h.kid.length > 2048) throw bad('proof kid is invalid')
    if (!o.resolveKid) throw bad('proof kid cannot be resolved by this issuer')
    const k = await o.resolveKid(h.kid)
    if (!k) throw bad('proof kid cannot be resolved')
    return k
  }
  return undefined
}

/** OpenID4VCI §8.2.1.1 / Appendix F.4: verify one `jwt` proof (and its key attestation, when present). */
export async function verifyJwtProof(token: string, o: ProofCheckOptions): Promise<VerifiedProof> {
  const jws = parse(token)
  const h = jws.header
  if (h.typ !== PROOF_TYP) throw bad('proof typ must be openid4vci-proof+jwt')
  if (!o.algorithms.includes(h.alg)) throw bad('proof alg is not supported')
  const jwk = headerKey(h)
  if (h.key_attestation !== undefined) {
    const ka = o.keyAttestation
    if (!ka) throw bad('key attestations are not accepted')
    const att = await verifyKeyAttestation(h.key_attestation, { ...ka, clock: o.clock, requireExp: true })
    let signingKey: PublicJwk | undefined
    if (ka.profile === 'ts3') {
      // EUDI TS3 §2.2: signed with attested_keys[0], no kid.
      if (h.kid !== undefined) throw bad('proof must not carry kid under this profile')
      signingKey = att.attestedKeys[0]
      if (jwk && signingKey && jwkThumbprint(jwk) !== jwkThumbprint(signingKey)) throw bad('proof key is not attested_keys[0]')
    } else {
      const tps = att.attestedKeys.map(jwkThumbprint)
      if (jwk) signingKey = tps.includes(jwkThumbprint(jwk)) ? jwk : undefined
      else if (typeof h.kid === 'string') {
        const i = att.attestedKeys.findIndex((k, n) => k.kid === h.kid || tps[n] === h.kid)
        signingKey = i >= 0 ? att.attestedKeys[i] : undefined
      }
      if (!signingKey) throw bad('proof is not signed by an attested key')
    }
    if (!signingKey) throw bad('proof is not signed by an attested key')
    try {
      verifyJwsSignature(jws, signingKey)
    } catch {
      throw bad('proof signature is invalid')
    }
    const nonce = checkClaims(jws.payload, o)
    if (att.payload.nonce !== undefined && att.payload.nonce !== nonce) throw bad('key attestation nonce does not match')
    return { keys: att.attestedKeys, nonce, attested: true }
  }
  if (o.keyAttestation?.mandatory) throw bad('a key attestation is required')
  const key = jwk ?? (await keyFromKidOrX5c(h, o))
  if (!key) throw bad('proof must carry exactly one of jwk, kid, x5c')
  try {
    verifyJwsSignature(jws, key)
  } catch {
    throw bad('proof signature is invalid')
  }
  return { keys: [key], nonce: checkClaims(jws.payload, o), attested: false }
}

/** OpenID4VCI Appendix F.3: an `attestation` proof (key attestation without PoP). */
export async function verifyAttestationProof(token: string, o: ProofCheckOptions): Promise<VerifiedProof> {
  const ka = o.keyAttestation
  if (!ka) throw bad('attestation proofs are not accepted')
  const att = await verifyKeyAttestation(token, { ...ka, clock: o.clock, requireExp: false })
  const n = att.payload.nonce
  if (n !== undefined && typeof n !== 'string') throw bad('key attestation nonce must be a string')
  return { keys: att.attestedKeys, nonce: n, attested: true }
}
