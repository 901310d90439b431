/**
 * Revocation types of anoncreds-clsignatures-rs (`src/types.rs`), over the pairing groups of `../../pairing`.
 * Field names follow the Rust structs (serde JSON mapping not written yet: points/scalars serialize via toString()).
 */
import type { GroupOrderElement, Pair, PointG1, PointG2 } from '../pairing/groups.js'

/** `CredentialRevocationPublicKey` (the `r_key` of a credential definition). */
export interface CredentialRevocationPublicKey {
  readonly g: PointG1
  readonly g_dash: PointG2
  readonly h: PointG1
  readonly h0: PointG1
  readonly h1: PointG1
  readonly h2: PointG1
  readonly htilde: PointG1
  readonly h_cap: PointG2
  readonly u: PointG2
  readonly pk: PointG1
  readonly y: PointG2
}

/** `CredentialRevocationPrivateKey` */
export interface CredentialRevocationPrivateKey {
  readonly x: GroupOrderElement
  readonly sk: GroupOrderElement
}

/** `RevocationKeyPublic`: z = e(g, g')^(γ^(L+1)). */
export interface RevocationKeyPublic {
  readonly z: Pair
}

/** `RevocationKeyPrivate` */
export interface RevocationKeyPrivate {
  readonly gamma: GroupOrderElement
}

/** `RevocationRegistry`: the accumulator, a G2 point that may be infinity (empty registry). */
export interface RevocationRegistry {
  readonly accum: PointG2
}

/** `RevocationRegistryDelta` (serde camelCase: prevAccum, accum, issued, revoked). */
export interface RevocationRegistryDelta {
  readonly prevAccum?: PointG2
  readonly accum: PointG2
  readonly issued: ReadonlySet<number>
  readonly revoked: ReadonlySet<number>
}

/** `WitnessSignature` */
export interface WitnessSignature {
  readonly sigma_i: PointG2
  readonly u_i: PointG2
  readonly g_i: PointG1
}

/** `NonRevocationCredentialSignature` (the `r_credential` of a credential signature). */
export interface NonRevocationCredentialSignature {
  readonly sigma: PointG1
  readonly c: GroupOrderElement
  readonly vr_prime_prime: GroupOrderElement
  readonly witness_signature: WitnessSignature
  readonly g_i: PointG1
  readonly i: number
  readonly m2: GroupOrderElement
}

/** `Witness`: omega = Σ_{j issued, j ≠ i} tail[L + 1 − j + i]. */
export interface Witness {
  readonly omega: PointG2
}

/** `NonRevocProofXList` */
export interface NonRevocProofXList {
  readonly rho: GroupOrderElement
  readonly r: GroupOrderElement
  readonly r_prime: GroupOrderElement
  readonly r_prime_prime: GroupOrderElement
  readonly r_prime_prime_prime: GroupOrderElement
  readonly o: GroupOrderElement
  readonly o_prime: GroupOrderElement
  readonly m: GroupOrderElement
  readonly m_prime: GroupOrderElement
  readonly t: GroupOrderElement
  readonly t_prime: GroupOrderElement
  /** only in legacy proofs */
  readonly m2?: GroupOrderElement
  readonly s: GroupOrderElement
  readonly c: GroupOrderElement
}

/** `NonRevocProofCList` */
export interface NonRevocProofCList {
  readonly e: PointG1
  readonly d: PointG1
  readonly a: PointG1
  readonly g: PointG1
  readonly w: PointG2
  readonly s: PointG2
  readonly u: PointG2
}

/** `NonRevocProofTauList` */
export interface NonRevocProofTauList {
  readonly t1: PointG1
  readonly t2: PointG1
  readonly t3: Pair
  readonly t4: Pair
  readonly t5: PointG1
  readonly t6: PointG1
  readonly t7: Pair
  readonly t8: Pair
}

/** `NonRevocInitProof` (prover side, secret). */
export interface NonRevocInitProof {
  readonly c_list_params: NonRevocProofXList
  readonly tau_list_params: NonRevocProofXList
  readonly c_list: NonRevocProofCList
  readonly tau_list: NonRevocProofTauList
}

/** `NonRevocProof` */
export interface NonRevocProof {
  readonly x_list: NonRevocProofXList
  readonly c_list: NonRevocProofCList
}
