import { type Clock, epochSeconds, isJsonObject, type JsonObject, systemClock } from '@bonafide/core'
import { checkJwtTimes, parseCompactJws, signCompactJws, verifyJwsSignature } from '@bonafide/jose'
import { type PublicJwk, parsePublicJwk, publicJwkMembers, type Signer } from '@bonafide/keys'
import { Openid4vpError } from '../errors.js'

export const VERIFIER_ATTESTATION_TYP = 'verifier-attestation+jwt'

/** A party the wallet trusts to issue Verifier Attestation JWTs (§12): its `iss` and signing keys. */
export interface TrustedAttestationIssuer {
  readonly iss: string
  readonly keys: readonly PublicJwk[]
}

export interface VerifierAttestation {
  readonly iss: string
  readonly sub: string
  readonly exp: number
  /** The key the verifier proves possession of by signing its request objects. */
  readonly cnfJwk: PublicJwk
  readonly redirectUris?: readonly string[]
  readonly payload: JsonObject
}

/**
 * Issue a Verifier Attestation JWT (§12), as a trusted attestation issuer: `sub` is the client_id value the
 * verifier uses after `verifier_attestation:`, `cnf.jwk` the key that signs its request objects.
 */
export async function createVerifierAttestation(o: {
  signer: Signer
  iss: string
  sub: string
  cnfJwk: PublicJwk
  expiresInSeconds?: number
  redirectUris?: string[]
  clock?: Clock
  kid?: string
}): Promise<string> {
  const now = epochSeconds(o.clock ?? systemClock)
  return signCompactJws(
    { typ: VERIFIER_ATTESTATION_TYP, ...(o.kid ? { kid: o.kid } : {}) },
    {
      iss: o.iss,
      sub: o.sub,
      iat: now,
      exp: now + (o.expiresInSeconds ?? 86_400),
      cnf: { jwk: publicJwkMembers(o.cnfJwk) as unknown as JsonObject },
      ...(o.redirectUris ? { redirect_uris: o.redirectUris } : {}),
    },
    o.signer,
  )
}

function fail(message: string, cause?: unknown): never {
  throw new Openid4vpError('openid4vp.client_untrusted', message, cause === undefined ? undefined : { cause })
}

/**
 * Verify a Verifier Attestation JWT (§12, §5.9.3): `typ` verifier-attestation+jwt, `iss` a trusted issuer whose
 * key verifies the signature, `exp` required and not passed, `sub` present, `cnf.jwk` a valid public key.
 * The caller checks `sub` against the client_id and the request signature against `cnfJwk`.
 */
export function verifyVerifierAttestation(
  jwt: unknown,
  o: { issuers: readonly TrustedAttestationIssuer[]; clock?: Clock },
): VerifierAttestation {
  let jws: ReturnType<typeof parseCompactJws>
  try {
    jws = parseCompactJws(jwt, { maxLength: 16 * 1024 })
  } catch (cause) {
    fail('the verifier attestation is not a JWT', cause)
  }
  if (jws.header.typ !== VERIFIER_ATTESTATION_TYP) fail('the verifier attestation typ must be verifier-attestation+jwt')
  const p = jws.payload
  const issuer = typeof p.iss === 'string' ? o.issuers.find((i) => i.iss === p.iss) : undefined
  if (!issuer) fail('the verifier attestation issuer is not trusted')
  if (!issuer.keys.some((k) => verifies(jws, k))) fail('the verifier attestation signature does not verify')
  try {
    checkJwtTimes(p, { now: epochSeconds(o.clock ?? systemClock), requireExp: true })
  } catch (cause) {
    fail('the verifier attestation is expired or not yet valid', cause)
  }
  if (typeof p.sub !== 'string' || p.sub.length === 0) fail('the verifier attestation has no sub')
  let cnfJwk: PublicJwk
  try {
    cnfJwk = parsePublicJwk(isJsonObject(p.cnf) ? p.cnf.jwk : undefined)
  } catch (cause) {
    fail('the verifier attestation has no valid cnf.jwk', cause)
  }
  const ru = p.redirect_uris
  if (ru !== undefined && (!Array.isArray(ru) || ru.some((u) => typeof u !== 'string')))
    fail('the verifier attestation redirect_uris must be strings')
  return {
    iss: issuer.iss,
    sub: p.sub,
    exp: p.exp as number,
    cnfJwk,
    ...(ru ? { redirectUris: ru as string[] } : {}),
    payload: p,
  }
}

function verifies(jws: ReturnType<typeof parseCompactJws>, key: PublicJwk): boolean {
  try {
    verifyJwsSignature(jws, key)
    return true
  } catch {
    return false
  }
}
