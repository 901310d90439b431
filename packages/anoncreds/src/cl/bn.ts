/**
 * Big-number arithmetic for CL signatures over BigInt, with modular exponentiation done by OpenSSL through
 * node:crypto (a Diffie-Hellman object computes g^x mod p for any odd modulus), which is several times faster
 * than BigInt square-and-multiply at 2048 bits. Byte encodings follow anoncreds-clsignatures-rs (`BigNumber::to_bytes`:
 * unsigned big-endian, minimal length; zero is the empty string, see `toBytes`).
 */
import { Buffer } from 'node:buffer'
import { createDiffieHellman, createHash, type DiffieHellman, randomBytes, randomInt } from 'node:crypto'

/**
 * Big-endian magnitude bytes of minimal length, exactly as clsignatures' default (OpenSSL) backend
 * `BigNumber::to_bytes` (`BN_bn2bin`): zero is the EMPTY byte string and the sign of a negative number is dropped.
 * (The optional num-bigint backend would give [0x00] for zero; anoncreds-rs builds the OpenSSL one.)
 */
export function toBytes(n: bigint): Uint8Array {
  const m = n < 0n ? -n : n
  if (m === 0n) return new Uint8Array(0)
  let hex = m.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

export function fromBytes(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`)
}

export const bitLength = (n: bigint): number => (n === 0n ? 0 : n.toString(2).length)

/** a mod n, always in [0, n). */
export const mod = (a: bigint, n: bigint): bigint => {
  const r = a % n
  return r < 0n ? r + n : r
}

/**
 * One Diffie-Hellman object per modulus, kept: constructing one runs OpenSSL's DH_check, a primality test of the
 * modulus that costs as much as an exponentiation. `computeSecret(base)` with the exponent as private key is
 * base^exp mod n. A few moduli are in use at a time (the issuers' keys), so a small bound suffices.
 */
const dhByModulus = new Map<bigint, DiffieHellman>()
const DH_CACHE = 64

function dhFor(n: bigint): DiffieHellman {
  let dh = dhByModulus.get(n)
  if (!dh) {
    if (dhByModulus.size >= DH_CACHE) dhByModulus.delete(dhByModulus.keys().next().value as bigint)
    dh = createDiffieHellman(Buffer.from(toBytes(n)), Buffer.from([2]))
    dhByModulus.set(n, dh)
  }
  return dh
}

function fastPow(base: bigint, exp: bigint, n: bigint): bigint {
  // computeSecret refuses the public values 0, 1 and n-1; the caller has taken 0 and 1 out
  if (base === n - 1n) return exp & 1n ? base : 1n
  const dh = dhFor(n)
  dh.setPrivateKey(Buffer.from(toBytes(exp)))
  let r: Buffer
  try {
    r = dh.computeSecret(Buffer.from(toBytes(base)))
  } catch {
    // OpenSSL refuses some results as Diffie-Hellman secrets (1, for instance): compute those the slow way
    return slowPow(base, exp, n)
  }
  if (r.length === 0) throw new RangeError('OpenSSL returned no result for this modulus')
  return fromBytes(r)
}

/** How many modular exponentiations OpenSSL did (the benchmark compares each operation with as many bare ones). */
export const counters = { modPow: 0 }

/** base^exp mod n for exp ≥ 0 (negative exponents invert the base first, as BigNumber::mod_exp does). */
export function modPow(base: bigint, exp: bigint, n: bigint): bigint {
  if (n <= 0n) throw new RangeError('modulus must be positive')
  if (n === 1n) return 0n
  if (exp < 0n) return modPow(modInverse(base, n), -exp, n)
  const b = mod(base, n)
  if (exp === 0n) return 1n
  if (b === 0n) return 0n
  if (b === 1n) return 1n
  // OpenSSL's DH wants an odd modulus of at least 512 bits (below that it computes nothing and says nothing);
  // smaller or even moduli go the slow way
  if (n & 1n && n >= 1n << 511n) {
    counters.modPow++
    return fastPow(b, exp, n)
  }
  return slowPow(b, exp, n)
}

/** Square-and-multiply over BigInt (the baseline the benchmark compares against). */
export function slowPow(base: bigint, exp: bigint, n: bigint): bigint {
  let r = 1n
  let b = mod(base, n)
  let e = exp
  while (e > 0n) {
    if (e & 1n) r = (r * b) % n
    b = (b * b) % n
    e >>= 1n
  }
  return r
}

export function modInverse(a: bigint, n: bigint): bigint {
  let [oldR, r] = [mod(a, n), n]
  let [oldS, s] = [1n, 0n]
  while (r !== 0n) {
    const q = oldR / r
    ;[oldR, r] = [r, oldR - q * r]
    ;[oldS, s] = [s, oldS - q * s]
  }
  if (oldR !== 1n) throw new RangeError('not invertible')
  return mod(oldS, n)
}

/** A uniformly random integer of at most `bits` bits (BigNumber::rand). */
export function randomBits(bits: number): bigint {
  const bytes = Math.ceil(bits / 8)
  let n = fromBytes(randomBytes(bytes))
  const excess = BigInt(bytes * 8 - bits)
  if (excess > 0n) n >>= excess
  return n
}

/** A uniformly random integer in [0, max) (BigNumber::rand_range). */
export function randomBelow(max: bigint): bigint {
  if (max <= 0n) throw new RangeError('max must be positive')
  const bits = bitLength(max)
  for (;;) {
    const n = randomBits(bits)
    if (n < max) return n
  }
}

/** SHA-256 over the concatenation of the byte strings, as an integer (clsignatures `hash_list_to_bignum`). */
export function hashList(parts: readonly Uint8Array[]): bigint {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return fromBytes(h.digest())
}

export const randomSmall = (max: number): number => randomInt(max)
