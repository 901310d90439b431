import { type Clock, type JsonObject, systemClock } from '@bonafide/core'
import { signCompactJws } from '@bonafide/jose'
import type { PublicJwk, Signer } from '@bonafide/keys'
import { PROOF_TYP } from '../proof.js'

/** Produces a key attestation for keys (a wallet provider or the key storage component). */
export type KeyAttestor = (input: { keys: readonly PublicJwk[]; nonce: string }) => Promise<string>

export interface ProofInput {
  readonly audience: string
  readonly nonce: string
  readonly clientId?: string
  readonly clock?: Clock
}

function payload(i: ProofInput): JsonObject {
  return {
    aud: i.audience,
    iat: Math.floor((i.clock ?? systemClock).now() / 1000),
    nonce: i.nonce,
    ...(i.clientId ? { iss: i.clientId } : {}),
  }
}

/** One `jwt` proof per key (OpenID4VCI Appendix F.1), key in `jwk`. */
export async function createJwtProofs(signers: readonly Signer[], i: ProofInput): Promise<string[]> {
  const p = payload(i)
  return Promise.all(signers.map((s) => signCompactJws({ typ: PROOF_TYP, jwk: { ...s.publicJwk } }, p, s)))
}

/**
 * One `jwt` proof carrying a key attestation, signed by the first attested key. OpenID4VCI profile:
 * the signing key is named by `jwk`; TS3 profile: no `kid` (the issuer uses attested_keys[0]).
 */
export async function createKeyAttestedProof(
  first: Signer,
  keyAttestation: string,
  profile: 'openid4vci' | 'ts3',
  i: ProofInput,
): Promise<string> {
  const header: JsonObject = { typ: PROOF_TYP, key_attestation: keyAttestation }
  if (profile === 'openid4vci') header.jwk = { ...first.publicJwk }
  return signCompactJws(header, payload(i), first)
}
