/**
 * AMCL's tower above Fp2: Fp4 = Fp2[s]/(s² − ξ) with ξ = 1 + i, Fp12 = Fp4[w]/(w³ − s). The component order is
 * AMCL's (FP4 {a, b}, FP12 {a, b, c}), which fixes the byte serialization of pairing values.
 */
import { FP2_ONE, FP2_ZERO, type Fp2, fp2Add, fp2Conj, fp2Eq, fp2Inv, fp2Mul, fp2MulXi, fp2Neg, fp2Sqr, fp2Sub } from './fp.js'

/** a + b·s */
export type Fp4 = readonly [Fp2, Fp2]
/** a + b·w + c·w² */
export type Fp12 = readonly [Fp4, Fp4, Fp4]

export const FP4_ZERO: Fp4 = [FP2_ZERO, FP2_ZERO]
export const FP4_ONE: Fp4 = [FP2_ONE, FP2_ZERO]
export const FP12_ONE: Fp12 = [FP4_ONE, FP4_ZERO, FP4_ZERO]

export const fp4Add = (x: Fp4, y: Fp4): Fp4 => [fp2Add(x[0], y[0]), fp2Add(x[1], y[1])]
export const fp4Sub = (x: Fp4, y: Fp4): Fp4 => [fp2Sub(x[0], y[0]), fp2Sub(x[1], y[1])]
export const fp4Eq = (x: Fp4, y: Fp4): boolean => fp2Eq(x[0], y[0]) && fp2Eq(x[1], y[1])
/** AMCL FP4 `conj`: a − b·s */
export const fp4Conj = (x: Fp4): Fp4 => [x[0], fp2Neg(x[1])]
/** AMCL FP4 `nconj`: −a + b·s */
export const fp4NConj = (x: Fp4): Fp4 => [fp2Neg(x[0]), x[1]]
/** x · s (AMCL FP4 `times_i`) */
export const fp4TimesS = (x: Fp4): Fp4 => [fp2MulXi(x[1]), x[0]]
/** x · k for k in Fp2 (AMCL FP4 `pmul`) */
export const fp4MulFp2 = (x: Fp4, k: Fp2): Fp4 => [fp2Mul(x[0], k), fp2Mul(x[1], k)]
/** AMCL FP4 `frob(f)`: conjugate both Fp2 parts, then b·f */
export const fp4Frob = (x: Fp4, f: Fp2): Fp4 => [fp2Conj(x[0]), fp2Mul(fp2Conj(x[1]), f)]

export function fp4Mul(x: Fp4, y: Fp4): Fp4 {
  const t0 = fp2Mul(x[0], y[0])
  const t1 = fp2Mul(x[1], y[1])
  const mid = fp2Sub(fp2Sub(fp2Mul(fp2Add(x[0], x[1]), fp2Add(y[0], y[1])), t0), t1)
  return [fp2Add(t0, fp2MulXi(t1)), mid]
}

export const fp4Sqr = (x: Fp4): Fp4 => {
  const t0 = fp2Sqr(x[0])
  const t1 = fp2Sqr(x[1])
  const ab = fp2Mul(x[0], x[1])
  return [fp2Add(t0, fp2MulXi(t1)), fp2Add(ab, ab)]
}

export function fp4Inv(x: Fp4): Fp4 {
  const n = fp2Inv(fp2Sub(fp2Sqr(x[0]), fp2MulXi(fp2Sqr(x[1]))))
  return [fp2Mul(x[0], n), fp2Neg(fp2Mul(x[1], n))]
}

export function fp12Mul(x: Fp12, y: Fp12): Fp12 {
  const [a0, b0, c0] = x
  const [a1, b1, c1] = y
  const aa = fp4Mul(a0, a1)
  const bb = fp4Mul(b0, b1)
  const cc = fp4Mul(c0, c1)
  // Karatsuba cross terms
  const bc = fp4Sub(fp4Sub(fp4Mul(fp4Add(b0, c0), fp4Add(b1, c1)), bb), cc)
  const ab = fp4Sub(fp4Sub(fp4Mul(fp4Add(a0, b0), fp4Add(a1, b1)), aa), bb)
  const ac = fp4Sub(fp4Sub(fp4Mul(fp4Add(a0, c0), fp4Add(a1, c1)), aa), cc)
  return [fp4Add(aa, fp4TimesS(bc)), fp4Add(ab, fp4TimesS(cc)), fp4Add(ac, bb)]
}

export function fp12Sqr(x: Fp12): Fp12 {
  const [a, b, c] = x
  const aa = fp4Sqr(a)
  const cc = fp4Sqr(c)
  const ab = fp4Mul(a, b)
  const bc = fp4Mul(b, c)
  const ac = fp4Mul(a, c)
  const bb = fp4Sqr(b)
  const ab2 = fp4Add(ab, ab)
  const bc2 = fp4Add(bc, bc)
  const ac2 = fp4Add(ac, ac)
  return [fp4Add(aa, fp4TimesS(bc2)), fp4Add(ab2, fp4TimesS(cc)), fp4Add(ac2, bb)]
}

/** AMCL FP12 `conj` (the p⁶-power Frobenius; inverse on the cyclotomic subgroup). */
export const fp12Conj = (x: Fp12): Fp12 => [fp4Conj(x[0]), fp4NConj(x[1]), fp4Conj(x[2])]

export const fp12Eq = (x: Fp12, y: Fp12): boolean => fp4Eq(x[0], y[0]) && fp4Eq(x[1], y[1]) && fp4Eq(x[2], y[2])
export const fp12IsOne = (x: Fp12): boolean => fp12Eq(x, FP12_ONE)

/** AMCL FP12 `frob(f)` with f the Frobenius constant: the p-power map. */
export function fp12Frob(x: Fp12, f: Fp2): Fp12 {
  const f2 = fp2Sqr(f)
  const f3 = fp2Mul(f, f2)
  return [fp4Frob(x[0], f3), fp4MulFp2(fp4Frob(x[1], f3), f), fp4MulFp2(fp4Frob(x[2], f3), f2)]
}

export function fp12Inv(x: Fp12): Fp12 {
  const [a, b, c] = x
  const A = fp4Sub(fp4Sqr(a), fp4TimesS(fp4Mul(b, c)))
  const B = fp4Sub(fp4TimesS(fp4Sqr(c)), fp4Mul(a, b))
  const C = fp4Sub(fp4Sqr(b), fp4Mul(a, c))
  const F = fp4Inv(fp4Add(fp4Mul(a, A), fp4TimesS(fp4Add(fp4Mul(c, B), fp4Mul(b, C)))))
  return [fp4Mul(A, F), fp4Mul(B, F), fp4Mul(C, F)]
}

/** x^e for e ≥ 0 (square-and-multiply). */
export function fp12Pow(x: Fp12, e: bigint): Fp12 {
  let result = FP12_ONE
  let started = false
  for (let i = e.toString(2).length - 1; i >= 0 && e > 0n; i--) {
    if (started) result = fp12Sqr(result)
    if ((e >> BigInt(i)) & 1n) {
      result = started ? fp12Mul(result, x) : x
      started = true
    }
  }
  return result
}
