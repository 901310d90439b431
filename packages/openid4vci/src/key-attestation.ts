import { type Clock, epochSeconds, isJsonObject, type JsonObject, OAuthError, systemClock } from '@bonafide/core'
import { type ParsedJws, parseCompactJws, signCompactJws, verifyJwsSignature, type X5cValidator } from '@bonafide/jose'
import { type JwsAlg, type PublicJwk, parsePublicJwk, type Signer } from '@bonafide/keys'
import { validateX5cHeader } from '@bonafide/oauth2'

/** OpenID4VCI Appendix D.1 typ, and the EUDI TS3 spelling. */
export const KEY_ATTESTATION_TYPS = ['key-attestation+jwt', 'keyattestation+jwt'] as const

export interface KeyAttestationPolicy {
  /** x5c validator over the trusted wallet providers. */
  trustedProviders: X5cValidator
  /** `key_attestations_required` from metadata: the attestation must carry one accepted value of each list. */
  required?: { key_storage?: readonly string[]; user_authentication?: readonly string[] }
  algorithms?: readonly JwsAlg[]
  /** Optional status check of the attestation's `status` (revoked → throw). */
  checkStatus?: (status: JsonObject) => Promise<void>
}

export interface VerifiedKeyAttestation {
  readonly attestedKeys: readonly PublicJwk[]
  readonly payload: JsonObject
}

function invalidProof(description: string): OAuthError {
  return new OAuthError('invalid_proof', description)
}

/**
 * Verify a key attestation JWT (OpenID4VCI Appendix D.1; EUDI TS3 KA): typ, alg, x5c chain to a
 * trusted wallet provider, signature, `iat`, `exp`, `attested_keys` (public JWKs only),
 * `key_storage`/`user_authentication` against policy, optional status. `nonce` is returned to the caller.
 */
export async function verifyKeyAttestation(
  token: unknown,
  o: KeyAttestationPolicy & { clock?: Clock; requireExp: boolean },
): Promise<VerifiedKeyAttestation> {
  let jws: ParsedJws
  try {
    jws = parseCompactJws(token, { maxLength: 48 * 1024 })
  } catch {
    throw invalidProof('key attestation is malformed')
  }
  const typ = jws.header.typ
  if (typeof typ !== 'string' || !KEY_ATTESTATION_TYPS.some((t) => t === typ)) throw invalidProof('key attestation typ is wrong')
  if (o.algorithms && !o.algorithms.includes(jws.header.alg)) throw invalidProof('key attestation alg not allowed')
  const nowMs = (o.clock ?? systemClock).now()
  try {
    const chain = validateX5cHeader(o.trustedProviders, jws.header.x5c, nowMs)
    verifyJwsSignature(jws, chain.leafKey)
  } catch {
    throw invalidProof('key attestation is not signed by a trusted wallet provider')
  }
  const p = jws.payload
  const now = Math.floor(nowMs / 1000)
  if (typeof p.iat !== 'number' || p.iat > now + 60) throw invalidProof('key attestation iat is invalid')
  if (p.exp !== undefined && typeof p.exp !== 'number') throw invalidProof('key attestation exp is invalid')
  if (o.requireExp && p.exp === undefined) throw invalidProof('key attestation exp is required')
  if (typeof p.exp === 'number' && p.exp <= now) throw invalidProof('key attestation has expired')
  if (!Array.isArray(p.attested_keys) || p.attested_keys.length === 0 || p.attested_keys.length > 1000)
    throw invalidProof('attested_keys must be a non-empty array')
  const attestedKeys = p.attested_keys.map((k) => {
    if (!isJsonObject(k) || 'd' in k) throw invalidProof('attested key must be a public JWK')
    try {
      return parsePublicJwk(k)
    } catch {
      throw invalidProof('attested key is invalid')
    }
  })
  for (const name of ['key_storage', 'user_authentication'] as const) {
    const accepted = o.required?.[name]
    if (!accepted) continue
    const got = p[name]
    if (!Array.isArray(got) || !got.some((v) => typeof v === 'string' && accepted.includes(v)))
      throw invalidProof(`key attestation ${name} does not meet the requirement`)
  }
  if (p.status !== undefined) {
    if (!isJsonObject(p.status)) throw invalidProof('key attestation status is invalid')
    if (o.checkStatus) {
      try {
        await o.checkStatus(p.status)
      } catch {
        throw invalidProof('key attestation is revoked or its status is unknown')
      }
    }
  }
  return { attestedKeys, payload: p }
}

/** A wallet provider (or key storage component) attests keys (OpenID4VCI Appendix D.1). */
export async function createKeyAttestation(o: {
  providerSigner: Signer
  x5c: string[]
  attestedKeys: readonly PublicJwk[]
  nonce?: string
  keyStorage?: string[]
  userAuthentication?: string[]
  validForSeconds?: number
  /** `ts3` uses the `keyattestation+jwt` spelling. */
  profile?: 'openid4vci' | 'ts3'
  clock?: Clock
  status?: JsonObject
}): Promise<string> {
  const now = epochSeconds(o.clock ?? systemClock)
  const payload: JsonObject = {
    iat: now,
    exp: now + (o.validForSeconds ?? 3600),
    attested_keys: o.attestedKeys.map((k) => ({ ...k })),
  }
  if (o.nonce) payload.nonce = o.nonce
  if (o.keyStorage) payload.key_storage = o.keyStorage
  if (o.userAuthentication) payload.user_authentication = o.userAuthentication
  if (o.status) payload.status = o.status
  const typ = o.profile === 'ts3' ? 'keyattestation+jwt' : 'key-attestation+jwt'
  return signCompactJws({ typ, x5c: o.x5c }, payload, o.providerSigner)
}
