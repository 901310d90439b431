/**
 * The non-revocation part of issuance: holder blinding (`Prover::_generate_blinded_revocation_credential_secrets`),
 * the issuer's signature (`Issuer::_new_non_revocation_credential`) and the holder's processing
 * (`Prover::_process_non_revocation_credential`).
 */
import { GroupOrderElement, type PointG1 } from '../pairing/groups.js'
import { checkRevIdx, indexPow, tailAt, tailIndex } from './registry.js'
import type {
  CredentialRevocationPrivateKey,
  CredentialRevocationPublicKey,
  NonRevocationCredentialSignature,
  RevocationKeyPrivate,
  RevocationKeyPublic,
  RevocationRegistry,
  RevocationRegistryDelta,
  Witness,
} from './types.js'
import { checkWitnessSignature } from './witness.js'

/** The holder's blinded revocation secret: ur = h2^vr' (ur goes to the issuer, vr' stays with the holder). */
export function blindRevocationSecret(
  publicKey: CredentialRevocationPublicKey,
  vrPrime: GroupOrderElement = GroupOrderElement.random(),
): { ur: PointG1; vr_prime: GroupOrderElement } {
  return { ur: publicKey.h2.mul(vrPrime), vr_prime: vrPrime }
}

export interface NonRevocationIssueArgs {
  readonly revIdx: number
  /** the credential context m2 (a bigint, reduced mod r here as `bignum_to_group_element_reduce`) */
  readonly credentialContext: bigint
  readonly ur: PointG1
  readonly publicKey: CredentialRevocationPublicKey
  readonly privateKey: CredentialRevocationPrivateKey
  readonly maxCredNum: number
  readonly issuanceByDefault: boolean
  readonly registry: RevocationRegistry
  readonly revKeyPrivate: RevocationKeyPrivate
  /** fixed randomness for tests; random otherwise */
  readonly vrPrimePrime?: GroupOrderElement
  readonly c?: GroupOrderElement
}

/**
 * `Issuer::_new_non_revocation_credential`: σ = (h0 + h1^m2 + ur + g_i + h2^vr'')^(1/(x + c)), σ_i = g'^(1/(sk + γ^i)),
 * u_i = u^(γ^i), g_i = g^(γ^i), the holder's witness, and — unless issuance is by default — the registry with
 * credential i added and its delta.
 */
export function issueNonRevocationCredential(args: NonRevocationIssueArgs): {
  signature: NonRevocationCredentialSignature
  witness: Witness
  registry: RevocationRegistry
  delta?: RevocationRegistryDelta
} {
  const { revIdx, publicKey: pk, privateKey, maxCredNum, revKeyPrivate } = args
  checkRevIdx(revIdx, maxCredNum)
  const vrPrimePrime = args.vrPrimePrime ?? GroupOrderElement.random()
  const c = args.c ?? GroupOrderElement.random()
  const m2 = GroupOrderElement.of(args.credentialContext)
  const gammaI = indexPow(revIdx, revKeyPrivate.gamma)
  const gI = pk.g.mul(gammaI)
  const sigma = pk.h0.add(pk.h1.mul(m2)).add(args.ur).add(gI).add(pk.h2.mul(vrPrimePrime)).mul(privateKey.x.add(c).inverse())
  const sigmaI = pk.g_dash.mul(privateKey.sk.add(gammaI).inverse())
  const uI = pk.u.mul(gammaI)
  const indexTail = tailAt(tailIndex(maxCredNum, revIdx), pk.g_dash, revKeyPrivate.gamma)
  const prevAccum = args.registry.accum
  let registry = args.registry
  let delta: RevocationRegistryDelta | undefined
  if (!args.issuanceByDefault) {
    registry = { accum: prevAccum.add(indexTail) }
    delta = { prevAccum, accum: registry.accum, issued: new Set([revIdx]), revoked: new Set() }
  }
  const omega = (args.issuanceByDefault ? prevAccum.sub(indexTail) : prevAccum).mul(gammaI)
  const signature: NonRevocationCredentialSignature = {
    sigma,
    c,
    vr_prime_prime: vrPrimePrime,
    witness_signature: { sigma_i: sigmaI, u_i: uI, g_i: gI },
    g_i: gI,
    i: revIdx,
    m2,
  }
  return { signature, witness: { omega }, registry, ...(delta ? { delta } : {}) }
}

/** `Prover::_process_non_revocation_credential`: vr'' += vr', then the witness checks (throws if they fail). */
export function processNonRevocationCredential(
  signature: NonRevocationCredentialSignature,
  vrPrime: GroupOrderElement,
  publicKey: CredentialRevocationPublicKey,
  revKeyPublic: RevocationKeyPublic,
  registry: RevocationRegistry,
  witness: Witness,
): NonRevocationCredentialSignature {
  const processed = { ...signature, vr_prime_prime: vrPrime.add(signature.vr_prime_prime) }
  checkWitnessSignature(processed, publicKey, revKeyPublic, registry, witness)
  return processed
}
