/**
 * Prime generation for CL signatures: safe primes for the issuer's modulus (OpenSSL through node:crypto, off the
 * main thread) and the signature exponent e drawn exactly as clsignatures `BigNumber::generate_prime_in_range`.
 */
import { checkPrimeSync, generatePrime } from 'node:crypto'
import { type ClRandom, defaultRandom } from './helpers.js'

/**
 * A random safe prime P = 2p' + 1 of `size + 1` bits. clsignatures `generate_safe_prime(size)` asks OpenSSL for
 * size + 1 bits, so `LARGE_PRIME` (1024) yields 1025-bit safe primes and a 2050-bit n; this does the same.
 */
export function generateSafePrime(size: number): Promise<bigint> {
  return new Promise((resolve, reject) => {
    generatePrime(size + 1, { safe: true, bigint: true }, (err, prime) => (err ? reject(err) : resolve(prime as bigint)))
  })
}

/** Probabilistic primality test (OpenSSL `BN_check_prime`: trial division plus Miller–Rabin). */
export function isProbablePrime(n: bigint): boolean {
  if (n < 2n) return false
  return checkPrimeSync(n)
}

/** Whether P and (P − 1)/2 are both prime (`is_safe_prime`). */
export function isSafePrime(p: bigint): boolean {
  return p % 3n === 2n && isProbablePrime(p) && isProbablePrime(p >> 1n)
}

/**
 * A random prime in [2^sizeBits, 2^sizeBits + 2^rangeBits) (`BigNumber::generate_prime_in_range(size_bits,
 * range_bits)`): each candidate is 2^sizeBits OR (a uniform rangeBits-bit number with the low bit set), retried
 * until prime — the same distribution as the Rust byte-buffer construction. For e: (LARGE_E_START, LARGE_E_END_RANGE).
 */
export function generatePrimeInRange(sizeBits: number, rangeBits: number, random: ClRandom = defaultRandom): bigint {
  if (!(sizeBits > 1 && rangeBits > 1 && rangeBits <= sizeBits)) throw new RangeError('invalid prime range')
  const top = 1n << BigInt(sizeBits)
  for (;;) {
    const candidate = top | random.bits(rangeBits) | 1n
    if (isProbablePrime(candidate)) return candidate
  }
}
