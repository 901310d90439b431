/**
 * Short Weierstrass curves y² = x³ + b (a = 0) in homogeneous projective coordinates (x = X/Z, y = Y/Z), the
 * representation AMCL's ECP/ECP2 use, with the complete formulas of Renes–Costello–Batina 2016 (Alg. 7 and 9).
 * Generic over the coordinate field so that G1 (over Fp) and G2 (over Fp2, on the twist) share the code.
 */
import {
  FP2_ONE,
  FP2_ZERO,
  type Fp2,
  fp2Add,
  fp2Eq,
  fp2Inv,
  fp2IsZero,
  fp2Mul,
  fp2MulXiBar,
  fp2Neg,
  fp2Sqr,
  fp2Sub,
  fpAdd,
  fpInv,
  fpMul,
  fpNeg,
  fpSub,
} from './fp.js'
import { CURVE_B } from './params.js'

export interface Field<T> {
  readonly zero: T
  readonly one: T
  add(a: T, b: T): T
  sub(a: T, b: T): T
  mul(a: T, b: T): T
  sqr(a: T): T
  neg(a: T): T
  inv(a: T): T
  eq(a: T, b: T): boolean
  isZero(a: T): boolean
  /** the curve coefficient b */
  readonly b: T
  /** a · 3b */
  mulB3(a: T): T
}

export const FP_FIELD: Field<bigint> = {
  zero: 0n,
  one: 1n,
  add: fpAdd,
  sub: fpSub,
  mul: fpMul,
  sqr: (a) => fpMul(a, a),
  neg: fpNeg,
  inv: fpInv,
  eq: (a, b) => a === b,
  isZero: (a) => a === 0n,
  b: CURVE_B,
  mulB3: (a) => fpMul(a, 3n * CURVE_B),
}

/** b' = b/ξ = 2/(1 + i) = 1 − i (D-type twist) */
const B_TWIST: Fp2 = fp2MulXiBar([1n, 0n])

export const FP2_FIELD: Field<Fp2> = {
  zero: FP2_ZERO,
  one: FP2_ONE,
  add: fp2Add,
  sub: fp2Sub,
  mul: fp2Mul,
  sqr: fp2Sqr,
  neg: fp2Neg,
  inv: fp2Inv,
  eq: fp2Eq,
  isZero: fp2IsZero,
  b: B_TWIST,
  mulB3: (a) => fp2Mul(a, [3n, fpNeg(3n)]),
}

export interface Projective<T> {
  readonly x: T
  readonly y: T
  readonly z: T
}

export const infinity = <T>(F: Field<T>): Projective<T> => ({ x: F.zero, y: F.one, z: F.zero })
export const isInfinity = <T>(F: Field<T>, p: Projective<T>): boolean => F.isZero(p.z)

/** y²z = x³ + b z³ (the check AMCL-based clsignatures does on parsed points; infinity passes). */
export function isOnCurve<T>(F: Field<T>, p: Projective<T>): boolean {
  const lhs = F.mul(F.sqr(p.y), p.z)
  const rhs = F.add(F.mul(F.sqr(p.x), p.x), F.mul(F.b, F.mul(F.sqr(p.z), p.z)))
  return F.eq(lhs, rhs)
}

export function add<T>(F: Field<T>, p: Projective<T>, q: Projective<T>): Projective<T> {
  const { x: X1, y: Y1, z: Z1 } = p
  const { x: X2, y: Y2, z: Z2 } = q
  let t0 = F.mul(X1, X2)
  let t1 = F.mul(Y1, Y2)
  let t2 = F.mul(Z1, Z2)
  let t3 = F.mul(F.add(X1, Y1), F.add(X2, Y2))
  let t4 = F.add(t0, t1)
  t3 = F.sub(t3, t4)
  t4 = F.mul(F.add(Y1, Z1), F.add(Y2, Z2))
  let X3 = F.add(t1, t2)
  t4 = F.sub(t4, X3)
  X3 = F.mul(F.add(X1, Z1), F.add(X2, Z2))
  let Y3 = F.sub(X3, F.add(t0, t2))
  X3 = F.add(t0, t0)
  t0 = F.add(X3, t0)
  t2 = F.mulB3(t2)
  let Z3 = F.add(t1, t2)
  t1 = F.sub(t1, t2)
  Y3 = F.mulB3(Y3)
  X3 = F.sub(F.mul(t3, t1), F.mul(t4, Y3))
  Y3 = F.add(F.mul(t1, Z3), F.mul(Y3, t0))
  Z3 = F.add(F.mul(Z3, t4), F.mul(t0, t3))
  return { x: X3, y: Y3, z: Z3 }
}

export function dbl<T>(F: Field<T>, p: Projective<T>): Projective<T> {
  const { x: X, y: Y, z: Z } = p
  let t0 = F.sqr(Y)
  let Z3 = F.add(t0, t0)
  Z3 = F.add(Z3, Z3)
  Z3 = F.add(Z3, Z3)
  let t1 = F.mul(Y, Z)
  let t2 = F.mulB3(F.sqr(Z))
  let X3 = F.mul(t2, Z3)
  let Y3 = F.add(t0, t2)
  Z3 = F.mul(t1, Z3)
  t1 = F.add(t2, t2)
  t2 = F.add(t1, t2)
  t0 = F.sub(t0, t2)
  Y3 = F.add(X3, F.mul(t0, Y3))
  t1 = F.mul(X, Y)
  X3 = F.mul(t0, t1)
  X3 = F.add(X3, X3)
  return { x: X3, y: Y3, z: Z3 }
}

export const neg = <T>(F: Field<T>, p: Projective<T>): Projective<T> => ({ x: p.x, y: F.neg(p.y), z: p.z })

/** k·p for k ≥ 0 (fixed 4-bit windows). */
export function mul<T>(F: Field<T>, p: Projective<T>, k: bigint): Projective<T> {
  if (k < 0n) return mul(F, neg(F, p), -k)
  const table: Projective<T>[] = [infinity(F), p]
  for (let i = 2; i < 16; i++) table.push(add(F, table[i - 1]!, p))
  const hex = k.toString(16)
  let acc = infinity(F)
  for (let i = 0; i < hex.length; i++) {
    if (i > 0) acc = dbl(F, dbl(F, dbl(F, dbl(F, acc))))
    const d = Number.parseInt(hex[i]!, 16)
    if (d) acc = add(F, acc, table[d]!)
  }
  return acc
}

/** Affine form with z = 1 (infinity stays (0, 1, 0)). */
export function toAffine<T>(F: Field<T>, p: Projective<T>): Projective<T> {
  if (isInfinity(F, p)) return infinity(F)
  if (F.eq(p.z, F.one)) return p
  const zi = F.inv(p.z)
  return { x: F.mul(p.x, zi), y: F.mul(p.y, zi), z: F.one }
}

export function equals<T>(F: Field<T>, p: Projective<T>, q: Projective<T>): boolean {
  const pi = isInfinity(F, p)
  const qi = isInfinity(F, q)
  if (pi || qi) return pi === qi
  return F.eq(F.mul(p.x, q.z), F.mul(q.x, p.z)) && F.eq(F.mul(p.y, q.z), F.mul(q.y, p.z))
}
