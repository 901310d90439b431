/**
 * The verifier's side of the non-revocation proof (clsignatures `helpers::create_tau_list_expected_values`,
 * `ProofVerifier::_verify_non_revocation_proof`): recomputes the tau list the holder committed to, to be hashed
 * with the other sub-proofs' lists into the challenge.
 */
import { GroupOrderElement, Pair, PointG1 } from '../pairing/groups.js'
import { createTauListValues } from './proof.js'
import type {
  CredentialRevocationPublicKey,
  NonRevocProof,
  NonRevocProofCList,
  NonRevocProofTauList,
  RevocationKeyPublic,
  RevocationRegistry,
} from './types.js'

export function createTauListExpectedValues(
  pk: CredentialRevocationPublicKey,
  registry: RevocationRegistry,
  revKeyPublic: RevocationKeyPublic,
  c: NonRevocProofCList,
): NonRevocProofTauList {
  const negG = pk.g.neg()
  return {
    t1: c.e,
    t2: PointG1.infinity(),
    t3: Pair.pair2(pk.h0.add(c.g), pk.h_cap, c.a.neg(), pk.y),
    t4: Pair.pair2(c.g, registry.accum, negG, c.w).mul(revKeyPublic.z.inverse()),
    t5: c.d,
    t6: PointG1.infinity(),
    t7: Pair.pair2(pk.pk.add(c.g), c.s, negG, pk.g_dash),
    t8: Pair.pair2(c.g, pk.u, negG, c.u),
  }
}

/**
 * `_verify_non_revocation_proof`: T = T_expected^(−c) · T_calc(x_list), with m2 the primary equality proof's m2
 * response (reduced mod r). With `acceptLegacy`, a proof carrying its own m2 in x_list is checked the old way.
 * The caller hashes `tauListBytes(result)` with the rest and compares with the proof's challenge.
 */
export function verifyNonRevocationProof(
  pk: CredentialRevocationPublicKey,
  registry: RevocationRegistry,
  revKeyPublic: RevocationKeyPublic,
  cHash: bigint,
  primaryEqM2: bigint,
  proof: NonRevocProof,
  acceptLegacy = false,
): NonRevocProofTauList {
  const ch = GroupOrderElement.of(cHash)
  let m2 = GroupOrderElement.of(primaryEqM2)
  let c = ch.neg()
  if (acceptLegacy && proof.x_list.m2) {
    c = ch
    m2 = proof.x_list.m2
  }
  const exp = createTauListExpectedValues(pk, registry, revKeyPublic, proof.c_list)
  const calc = createTauListValues(pk, registry, proof.x_list, proof.c_list, m2)
  return {
    t1: exp.t1.mul(c).add(calc.t1),
    t2: exp.t2.mul(c).add(calc.t2),
    t3: exp.t3.pow(c).mul(calc.t3),
    t4: exp.t4.pow(c).mul(calc.t4),
    t5: exp.t5.mul(c).add(calc.t5),
    t6: exp.t6.mul(c).add(calc.t6),
    t7: exp.t7.pow(c).mul(calc.t7),
    t8: exp.t8.pow(c).mul(calc.t8),
  }
}
