/**
 * The Fiat–Shamir challenge of a CL presentation proof (clsignatures `ProofBuilder::finalize` /
 * `ProofVerifier::verify`): c_H = SHA-256(τ_1 ‖ … ‖ τ_k ‖ C_1 ‖ … ‖ C_l ‖ nonce) as a big-endian integer, each
 * element as `BigNumber::to_bytes` (unsigned big-endian, minimal length).
 */
import { fromBytes, hashList, toBytes } from './bn.js'

/** `BigNumber::to_bytes` of the default (OpenSSL) backend: BN_bn2bin, which is empty for zero. */
export const bnToBytes = (n: bigint): Uint8Array => (n === 0n ? new Uint8Array(0) : toBytes(n))

export const bnFromBytes = (b: Uint8Array): bigint => fromBytes(b)

/** hash_list_to_bignum(tau_list ‖ c_list ‖ nonce) */
export function challengeHash(tauList: readonly bigint[], cList: readonly Uint8Array[], nonce: bigint): bigint {
  return challengeHashBytes(tauList.map(bnToBytes), cList, nonce)
}

/**
 * The same over a tau list already in bytes: clsignatures keeps `tau_list: Vec<Vec<u8>>`, where a non-revocation
 * sub-proof contributes point and pairing bytes ahead of its primary proof's big numbers.
 */
export function challengeHashBytes(tauList: readonly Uint8Array[], cList: readonly Uint8Array[], nonce: bigint): bigint {
  return hashList([...tauList, ...cList, bnToBytes(nonce)])
}
