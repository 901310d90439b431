/**
 * Small CL-signature helpers shared by the issuance code, as anoncreds-clsignatures-rs `src/helpers.rs` and
 * `src/hash.rs`: randomness (injectable so the Rust mocked test vectors can be replayed), Pedersen commitments,
 * `gen_x`, `random_qr`, attribute encoding and the credential context m2.
 */
import { Buffer } from 'node:buffer'
import { createHash } from 'node:crypto'
import { AnonCredsError, type AnonCredsErrorCode } from '../errors.js'
import { fromBytes, hashList, modInverse, modPow, randomBelow, randomBits, toBytes } from './bn.js'
import { LARGE_NONCE } from './constants.js'
import type { Nonce } from './types.js'

/** The randomness the CL code draws: `bits` = `bn_rand(size)` (uniform below 2^size), `below` = `rand_range`. */
export interface ClRandom {
  bits(size: number): bigint
  below(max: bigint): bigint
}

export const defaultRandom: ClRandom = { bits: randomBits, below: randomBelow }

/** A fresh 80-bit nonce (`new_nonce`). */
export function newNonce(random: ClRandom = defaultRandom): Nonce {
  return random.bits(LARGE_NONCE)
}

/** gen1^m · gen2^r mod n (`get_pedersen_commitment`). */
export function pedersen(gen1: bigint, m: bigint, gen2: bigint, r: bigint, n: bigint): bigint {
  return (modPow(gen1, m, n) * modPow(gen2, r, n)) % n
}

/** a · b^-1 mod n (`mod_div`), throwing `code` when b is not invertible. */
export function modDiv(a: bigint, b: bigint, n: bigint, code: AnonCredsErrorCode): bigint {
  return (a * inverseOr(b, n, code)) % n
}

/** b^-1 mod n, throwing a typed error instead of a RangeError when b is not invertible. */
export function inverseOr(b: bigint, n: bigint, code: AnonCredsErrorCode): bigint {
  try {
    return modInverse(b, n)
  } catch (cause) {
    throw new AnonCredsError(code, 'value is not invertible modulo n', { cause })
  }
}

export function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b]
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/** A random exponent in [2, p'q' − 1) (`gen_x`). */
export function genX(p: bigint, q: bigint, random: ClRandom = defaultRandom): bigint {
  return random.below(p * q - 3n) + 2n
}

/** The square of a random unit mod n (`BigNumber::random_qr`). */
export function randomQr(n: bigint, random: ClRandom = defaultRandom): bigint {
  for (;;) {
    const c = random.below(n)
    if (gcd(c, n) === 1n) return (c * c) % n
  }
}

/** Whether s generates the whole subgroup of order p'q' of QR(n) (`generates_semiprime_subgroup`). */
export function generatesSemiprimeSubgroup(s: bigint, p: bigint, q: bigint, n: bigint): boolean {
  return s !== 1n && modPow(s, p, n) !== 1n && modPow(s, q, n) !== 1n
}

/** SHA-256 of the UTF-8 string as an integer, big- or little-endian (`encode_attribute` / `hash_to_bignum`). */
export function encodeAttribute(value: string, byteOrder: 'big' | 'little' = 'big'): bigint {
  const digest = createHash('sha256').update(Buffer.from(value, 'utf8')).digest()
  if (byteOrder === 'little') digest.reverse()
  return fromBytes(digest)
}

/**
 * The credential context m2 (`Issuer::_gen_credential_context`): SHA-256 over
 * to_bytes(encode_le(prover_id)) ‖ to_bytes(encode_le(String(rev_idx ?? -1))).
 */
export function credentialContext(proverId: string, revIdx?: number): bigint {
  const idx = revIdx === undefined ? -1 : revIdx
  return hashNumbers([encodeAttribute(proverId, 'little'), encodeAttribute(String(idx), 'little')])
}

/** SHA-256 over the concatenated `to_bytes` of the numbers, as an integer (`hash_list_to_bignum(&[values])`). */
export function hashNumbers(nums: readonly bigint[]): bigint {
  return hashList(nums.map(toBytes))
}
