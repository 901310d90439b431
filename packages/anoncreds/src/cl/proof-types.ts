/**
 * Proof data types of the primary (non-revocation) CL presentation proof, mirroring anoncreds-clsignatures-rs
 * `src/types.rs` field by field (`Proof`, `SubProof`, `PrimaryProof` — whose `ne_proofs` serialise as
 * `ge_proofs` —, `PrimaryEqualProof`, `PrimaryPredicateInequalityProof`, `AggregatedProof`) and the prover's
 * intermediate init proofs.
 */
import type { NonRevocProof } from '../revocation/types.js'
import type { Predicate } from './sub-proof-request.js'
import type { BigIntMap } from './types.js'

/** Proof of knowledge of a signature over all attributes, revealing some (`PrimaryEqualProof`). */
export interface PrimaryEqualProof {
  /** Encoded values of the revealed attributes (a BTreeMap). */
  readonly revealed_attrs: BigIntMap
  readonly a_prime: bigint
  readonly e: bigint
  readonly v: bigint
  /** m̂ of every unrevealed attribute, including `master_secret`. */
  readonly m: BigIntMap
  readonly m2: bigint
}

/**
 * Proof that a hidden attribute satisfies a predicate (`PrimaryPredicateInequalityProof`). Maps `u`, `r`, `t`
 * have keys "0".."3" (and "DELTA" for `r`, `t`).
 */
export interface PrimaryPredicateInequalityProof {
  readonly u: BigIntMap
  readonly r: BigIntMap
  readonly mj: bigint
  readonly alpha: bigint
  readonly t: BigIntMap
  readonly predicate: Predicate
}

export interface PrimaryProof {
  readonly eq_proof: PrimaryEqualProof
  /** `ne_proofs` in clsignatures, `ge_proofs` on the wire. */
  readonly ge_proofs: readonly PrimaryPredicateInequalityProof[]
}

/** One credential's part of the proof; `non_revoc_proof` when the credential is revocable and proven not revoked. */
export interface SubProof {
  readonly primary_proof: PrimaryProof
  readonly non_revoc_proof?: NonRevocProof | undefined
}

export interface AggregatedProof {
  readonly c_hash: bigint
  /** Commitments of all sub-proofs, as `BigNumber::to_bytes` byte strings (JSON: arrays of numbers). */
  readonly c_list: readonly Uint8Array[]
}

export interface Proof {
  readonly proofs: readonly SubProof[]
  readonly aggregated_proof: AggregatedProof
}

/** Prover state of the equality proof before the challenge (`PrimaryEqualInitProof`). */
export interface PrimaryEqualInitProof {
  readonly a_prime: bigint
  readonly t: bigint
  readonly e_tilde: bigint
  readonly e_prime: bigint
  readonly v_tilde: bigint
  readonly v_prime: bigint
  readonly m_tilde: BigIntMap
  readonly m2_tilde: bigint
  readonly m2: bigint
}

/** Prover state of one predicate proof before the challenge (`PrimaryPredicateInequalityInitProof`). */
export interface PrimaryPredicateInequalityInitProof {
  /** T_0..T_3, T_Δ */
  readonly c_list: readonly bigint[]
  /** τ_0..τ_3, τ_Δ, Q */
  readonly tau_list: readonly bigint[]
  readonly u: BigIntMap
  readonly u_tilde: BigIntMap
  readonly r: BigIntMap
  readonly r_tilde: BigIntMap
  readonly alpha_tilde: bigint
  readonly predicate: Predicate
  readonly t: BigIntMap
}

export interface PrimaryInitProof {
  readonly eq_proof: PrimaryEqualInitProof
  readonly ne_proofs: readonly PrimaryPredicateInequalityInitProof[]
}
