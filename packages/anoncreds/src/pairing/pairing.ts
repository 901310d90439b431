/**
 * AMCL's optimal (R-)ate pairing on BN254 (`pair::ate`, `ate2`, `fexp`), ported step by step so that the value in
 * GT — and so its serialization, which clsignatures hashes — is the same: Miller loop over |6u + 2| in signed
 * binary (n3 = 3n trick), conjugation for negative u, the two Frobenius line fix-ups, and AMCL's hard part of the
 * final exponentiation. Line functions use AMCL's (D-type twist) formulas; their Fp2 scaling is removed by the
 * easy part of the final exponentiation.
 */
import { add, dbl, FP2_FIELD, type Projective, toAffine } from './curve.js'
import { FP2_ZERO, type Fp2, fp2Add, fp2Conj, fp2Mul, fp2MulFp, fp2MulXiBar, fp2Neg, fp2Sqr, fp2Sub } from './fp.js'
import { FP4_ZERO, FP12_ONE, type Fp12, fp12Conj, fp12Frob, fp12Inv, fp12Mul, fp12Pow, fp12Sqr } from './fp12.js'
import { BN_X, FRA, FRB } from './params.js'

/** The Frobenius constant (AMCL FRA + FRB·i). */
export const FROB: Fp2 = [FRA, FRB]

type G2 = Projective<Fp2>
type G1Affine = { readonly x: bigint; readonly y: bigint }

const scale = (x: Fp2, k: bigint): Fp2 => fp2MulFp(x, k)

/** AMCL `linedbl`: the tangent line at A evaluated at Q; returns the line and 2A. */
function lineDbl(A: G2, qx: bigint, qy: bigint): [Fp12, G2] {
  const yz = fp2Mul(A.y, A.z)
  const xx = fp2Sqr(A.x)
  const yy = fp2Sqr(A.y)
  const zz = fp2Sqr(A.z)
  const a0 = fp2MulFp(fp2Neg(scale(yz, 4n)), qy) // −4YZ·qy
  const b0 = fp2MulFp(scale(xx, 6n), qx) // 6X²·qx
  const a1 = fp2Sub(fp2MulXiBar(scale(zz, 6n)), fp2Add(yy, yy)) // 6Z²·(1 − i) − 2Y²
  return [[[a0, a1], [b0, FP2_ZERO], FP4_ZERO], dbl(FP2_FIELD, A)]
}

/** AMCL `lineadd`: the line through A and affine B evaluated at Q; returns the line and A + B. */
function lineAdd(A: G2, B: G2, qx: bigint, qy: bigint): [Fp12, G2] {
  const x1 = fp2Sub(A.x, fp2Mul(A.z, B.x))
  const y1 = fp2Sub(A.y, fp2Mul(A.z, B.y))
  const a0 = fp2MulFp(x1, qy)
  const a1 = fp2Sub(fp2Mul(y1, B.x), fp2Mul(x1, B.y))
  const b0 = fp2Neg(fp2MulFp(y1, qx))
  return [[[a0, a1], [b0, FP2_ZERO], FP4_ZERO], add(FP2_FIELD, A, B)]
}

/** AMCL ECP2 `frob` on a point. */
function g2Frob(p: G2, f: Fp2): G2 {
  const f2 = fp2Sqr(f)
  return { x: fp2Mul(fp2Conj(p.x), f2), y: fp2Mul(fp2Mul(fp2Conj(p.y), f2), f), z: fp2Conj(p.z) }
}

const g2Neg = (p: G2): G2 => ({ x: p.x, y: fp2Neg(p.y), z: p.z })

// n = 6|u| − 2 = |6u + 2| (u < 0), n3 = 3n; the loop runs over the signed digits n3_i − n_i.
const LOOP_N = 6n * BN_X - 2n
const LOOP_N3 = 3n * LOOP_N
const LOOP_BITS = LOOP_N3.toString(2).length

/** One (G2, G1) input to the multi-Miller loop; both affine and not at infinity. */
export interface MillerInput {
  readonly q: G2
  readonly p: G1Affine
}

/** Product of AMCL Miller loops (`ate` for one pair, `ate2` for two), before the final exponentiation. */
export function miller(inputs: readonly MillerInput[]): Fp12 {
  let r = FP12_ONE
  if (inputs.length === 0) return r
  const acc = inputs.map((i) => toAffine(FP2_FIELD, i.q))
  const base = acc.slice()
  const negBase = base.map(g2Neg)
  for (let i = LOOP_BITS - 2; i >= 1; i--) {
    r = fp12Sqr(r)
    const bit = Number((LOOP_N3 >> BigInt(i)) & 1n) - Number((LOOP_N >> BigInt(i)) & 1n)
    for (let k = 0; k < inputs.length; k++) {
      const { p } = inputs[k]!
      let [lv, a] = lineDbl(acc[k]!, p.x, p.y)
      if (bit !== 0) {
        const [lv2, a2] = lineAdd(a, bit === 1 ? base[k]! : negBase[k]!, p.x, p.y)
        lv = fp12Mul(lv, lv2)
        a = a2
      }
      r = fp12Mul(r, lv)
      acc[k] = a
    }
  }
  r = fp12Conj(r) // SIGN_OF_X = NEGATIVEX
  for (let k = 0; k < inputs.length; k++) {
    const { p } = inputs[k]!
    const a = g2Neg(acc[k]!)
    let kp = g2Frob(base[k]!, FROB)
    const [lv, a1] = lineAdd(a, kp, p.x, p.y)
    kp = g2Neg(g2Frob(kp, FROB))
    const [lv2] = lineAdd(a1, kp, p.x, p.y)
    r = fp12Mul(r, fp12Mul(lv, lv2))
  }
  return r
}

/** AMCL `fexp` for BN curves: f^((p¹² − 1)/r · λ) with AMCL's fixed hard-part addition chain. */
export function finalExponentiation(m: Fp12): Fp12 {
  const f = FROB
  // easy part: m^((p⁶ − 1)(p² + 1))
  let r = fp12Mul(fp12Conj(m), fp12Inv(m))
  r = fp12Mul(fp12Frob(fp12Frob(r, f), f), r)
  // hard part
  let lv = fp12Frob(r, f)
  let x0 = fp12Frob(lv, f)
  lv = fp12Mul(lv, r)
  x0 = fp12Frob(fp12Mul(x0, lv), f)
  const x1 = fp12Conj(r)
  let x4 = fp12Pow(r, BN_X)
  const x3 = fp12Frob(x4, f)
  let x2 = fp12Pow(x4, BN_X)
  const x5 = fp12Conj(x2)
  lv = fp12Pow(x2, BN_X)
  x2 = fp12Frob(x2, f)
  r = fp12Conj(x2)
  x4 = fp12Mul(x4, r)
  x2 = fp12Frob(x2, f)
  r = fp12Frob(lv, f)
  lv = fp12Mul(lv, r)
  lv = fp12Sqr(lv)
  lv = fp12Mul(fp12Mul(lv, x4), x5)
  r = fp12Mul(fp12Mul(x3, x5), lv)
  lv = fp12Mul(lv, x2)
  r = fp12Sqr(r)
  r = fp12Mul(r, lv)
  r = fp12Sqr(r)
  lv = fp12Mul(r, x1)
  r = fp12Mul(r, x0)
  lv = fp12Sqr(lv)
  return fp12Mul(r, lv)
}
