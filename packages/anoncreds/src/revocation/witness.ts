/** Witnesses (clsignatures `Witness::new`, `Witness::update`) and the holder's witness check (`_test_witness_signature`). */
import { AnonCredsError } from '../errors.js'
import { GroupOrderElement, Pair, PointG2 } from '../pairing/groups.js'
import { checkRevIdx, type TailsAccessor } from './registry.js'
import type {
  CredentialRevocationPublicKey,
  NonRevocationCredentialSignature,
  RevocationKeyPublic,
  RevocationRegistry,
  RevocationRegistryDelta,
  Witness,
} from './types.js'

type DeltaSets = Pick<RevocationRegistryDelta, 'issued' | 'revoked'>

/** tail[L + 1 − j + i]: credential j's contribution to credential i's witness. */
const witnessTailIndex = (maxCredNum: number, j: number, revIdx: number): number => maxCredNum + 1 - j + revIdx

/**
 * `Witness::new`: omega = Σ tail[L + 1 − j + i] over the credentials j ≠ i in the accumulator — all of 1..L but
 * `delta.revoked` when issuance is by default, else `delta.issued` (the delta from the registry's start).
 */
export function createWitness(
  revIdx: number,
  maxCredNum: number,
  issuanceByDefault: boolean,
  delta: DeltaSets,
  tails: TailsAccessor,
): Witness {
  checkRevIdx(revIdx, maxCredNum)
  const issued: number[] = []
  if (issuanceByDefault) {
    for (let j = 1; j <= maxCredNum; j++) if (!delta.revoked.has(j)) issued.push(j)
  } else {
    issued.push(...delta.issued)
  }
  let omega = PointG2.infinity()
  for (const j of [...new Set(issued)].sort((a, b) => b - a)) {
    if (j === revIdx) continue
    omega = omega.add(tails.tail(witnessTailIndex(maxCredNum, j, revIdx)))
  }
  return { omega }
}

/** `Witness::update`: applies a delta's issued (add) and revoked (subtract; wins over issued) indexes. */
export function updateWitness(
  witness: Witness,
  revIdx: number,
  maxCredNum: number,
  delta: DeltaSets,
  tails: TailsAccessor,
): Witness {
  checkRevIdx(revIdx, maxCredNum)
  const changes = new Map<number, boolean>()
  for (const j of delta.issued) changes.set(j, true)
  for (const j of delta.revoked) changes.set(j, false)
  let omega = witness.omega
  for (const [j, add] of [...changes].sort((a, b) => b[0] - a[0])) {
    if (j === revIdx || j < 1 || j > maxCredNum) continue
    const t = tails.tail(witnessTailIndex(maxCredNum, j, revIdx))
    omega = add ? omega.add(t) : omega.sub(t)
  }
  return { omega }
}

/**
 * The holder's check of a non-revocation credential (`Prover::_test_witness_signature`):
 * e(g_i, acc)·e(−g, ω) = z (credential i is in the accumulator), e(pk + g_i, σ_i)·e(−g, g') = 1, and
 * e(σ, y + ĥ^c)·e(−(h0 + h1^m2 + h2^vr'' + g_i), ĥ) = 1. Throws `anoncreds.signature_invalid`.
 */
export function checkWitnessSignature(
  rCred: NonRevocationCredentialSignature,
  publicKey: CredentialRevocationPublicKey,
  revKeyPublic: RevocationKeyPublic,
  registry: RevocationRegistry,
  witness: Witness,
): void {
  if (!isWitnessValid(rCred, publicKey, revKeyPublic, registry, witness)) {
    throw new AnonCredsError('anoncreds.signature_invalid', 'non-revocation witness does not match the accumulator')
  }
  const gg = Pair.pair2(publicKey.pk.add(rCred.g_i), rCred.witness_signature.sigma_i, publicKey.g.neg(), publicKey.g_dash)
  if (!gg.isUnity()) throw new AnonCredsError('anoncreds.signature_invalid', 'invalid witness signature')
  const m2 = GroupOrderElement.fromBytes(rCred.m2.toBytes())
  const h = Pair.pair2(
    rCred.sigma,
    publicKey.y.add(publicKey.h_cap.mul(rCred.c)),
    publicKey.h0.add(publicKey.h1.mul(m2)).add(publicKey.h2.mul(rCred.vr_prime_prime)).add(rCred.g_i).neg(),
    publicKey.h_cap,
  )
  if (!h.isUnity()) throw new AnonCredsError('anoncreds.signature_invalid', 'invalid non-revocation signature')
}

/** e(g_i, acc) · e(−g, ω) = z: the credential's tail is in the accumulator and ω is its witness. */
export function isWitnessValid(
  rCred: Pick<NonRevocationCredentialSignature, 'g_i'>,
  publicKey: Pick<CredentialRevocationPublicKey, 'g'>,
  revKeyPublic: RevocationKeyPublic,
  registry: RevocationRegistry,
  witness: Witness,
): boolean {
  return Pair.pair2(rCred.g_i, registry.accum, publicKey.g.neg(), witness.omega).equals(revKeyPublic.z)
}
