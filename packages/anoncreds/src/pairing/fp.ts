/** Fp and Fp2 = Fp[i]/(i² + 1) arithmetic over BigInt (values always reduced to [0, p)). */
import { modInverse, slowPow } from '../cl/bn.js'
import { P } from './params.js'

export const fpMod = (a: bigint): bigint => {
  const r = a % P
  return r < 0n ? r + P : r
}
export const fpAdd = (a: bigint, b: bigint): bigint => {
  const r = a + b
  return r >= P ? r - P : r
}
export const fpSub = (a: bigint, b: bigint): bigint => {
  const r = a - b
  return r < 0n ? r + P : r
}
export const fpMul = (a: bigint, b: bigint): bigint => (a * b) % P
export const fpNeg = (a: bigint): bigint => (a === 0n ? 0n : P - a)

export const fpPow = (base: bigint, exp: bigint): bigint => slowPow(base, exp, P)

/** The inverse (extended Euclid, quicker than Fermat's a^(p-2)); 0 maps to 0, as AMCL's does. */
export const fpInv = (a: bigint): bigint => {
  const r = fpMod(a)
  return r === 0n ? 0n : modInverse(r, P)
}

/** Square root for p ≡ 3 (mod 4), or undefined if a is not a square. */
export function fpSqrt(a: bigint): bigint | undefined {
  const r = fpPow(a, (P + 1n) >> 2n)
  return fpMul(r, r) === fpMod(a) ? r : undefined
}

/** a + b·i */
export type Fp2 = readonly [bigint, bigint]

export const FP2_ZERO: Fp2 = [0n, 0n]
export const FP2_ONE: Fp2 = [1n, 0n]

export const fp2Add = (x: Fp2, y: Fp2): Fp2 => [fpAdd(x[0], y[0]), fpAdd(x[1], y[1])]
export const fp2Sub = (x: Fp2, y: Fp2): Fp2 => [fpSub(x[0], y[0]), fpSub(x[1], y[1])]
export const fp2Neg = (x: Fp2): Fp2 => [fpNeg(x[0]), fpNeg(x[1])]
export const fp2Conj = (x: Fp2): Fp2 => [x[0], fpNeg(x[1])]
export const fp2Eq = (x: Fp2, y: Fp2): boolean => x[0] === y[0] && x[1] === y[1]
export const fp2IsZero = (x: Fp2): boolean => x[0] === 0n && x[1] === 0n

export function fp2Mul(x: Fp2, y: Fp2): Fp2 {
  const [a, b] = x
  const [c, d] = y
  const ac = a * c
  const bd = b * d
  return [fpMod(ac - bd), fpMod((a + b) * (c + d) - ac - bd)]
}

export function fp2Sqr(x: Fp2): Fp2 {
  const [a, b] = x
  return [fpMod((a + b) * (a - b)), fpMod(2n * a * b)]
}

/** x · k for k in Fp */
export const fp2MulFp = (x: Fp2, k: bigint): Fp2 => [fpMul(x[0], k), fpMul(x[1], k)]
/** x · (1 + i), AMCL `mul_ip` */
export const fp2MulXi = (x: Fp2): Fp2 => [fpSub(x[0], x[1]), fpAdd(x[0], x[1])]
/** x · (1 − i), AMCL `div_ip2` (= 2/ξ) */
export const fp2MulXiBar = (x: Fp2): Fp2 => [fpAdd(x[0], x[1]), fpSub(x[1], x[0])]

export function fp2Inv(x: Fp2): Fp2 {
  const n = fpInv(fpMod(x[0] * x[0] + x[1] * x[1]))
  return [fpMul(x[0], n), fpMul(fpNeg(x[1]), n)]
}

/** Square root in Fp2 (p ≡ 3 mod 4), or undefined. */
export function fp2Sqrt(x: Fp2): Fp2 | undefined {
  if (fp2IsZero(x)) return FP2_ZERO
  // norm = a² + b², sqrt(x) = (α, b/(2α)) with α² = (a ± sqrt(norm))/2
  const norm = fpSqrt(fpMod(x[0] * x[0] + x[1] * x[1]))
  if (norm === undefined) return undefined
  const inv2 = fpInv(2n)
  for (const s of [norm, fpNeg(norm)]) {
    const alpha = fpSqrt(fpMul(fpAdd(x[0], s), inv2))
    if (alpha === undefined) continue
    if (alpha === 0n) {
      const beta = fpSqrt(fpNeg(x[0]))
      if (beta !== undefined && fp2Eq(fp2Sqr([0n, beta]), x)) return [0n, beta]
      continue
    }
    const r: Fp2 = [alpha, fpMul(x[1], fpInv(fpMul(2n, alpha)))]
    if (fp2Eq(fp2Sqr(r), x)) return r
  }
  return undefined
}
