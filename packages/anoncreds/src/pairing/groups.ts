/**
 * The four pairing types of anoncreds-clsignatures-rs `src/amcl.rs` — GroupOrderElement, PointG1, PointG2, Pair —
 * with its string and byte encodings:
 *  - `toString`/`fromString`: AMCL `to_hex`, i.e. each Fp coordinate as "<excess> <hex of its Montgomery form>"
 *    (points in homogeneous projective x y z). We always write reduced affine values with excess 1, which AMCL reads
 *    back; strings AMCL wrote (any excess, any z) are read as AMCL reads them. Pair strings equal AMCL's exactly.
 *  - `toBytes`/`fromBytes`: AMCL `tobytes` (canonical big-endian, affine), padded as clsignatures pads them
 *    (PointG1 128 bytes with 0x04‖x‖y first, PointG2 128 bytes xa‖xb‖ya‖yb, Pair 512 bytes, 12 × 32 first).
 */

import { randomBelow } from '../cl/bn.js'
import { AnonCredsError } from '../errors.js'
import * as C from './curve.js'
import { type Fp2, fpInv, fpMod, fpMul, fpSqrt } from './fp.js'
import { FP12_ONE, type Fp4, type Fp12, fp12Conj, fp12Eq, fp12Frob, fp12IsOne, fp12Mul, fp12Pow } from './fp12.js'
import { FROB, finalExponentiation, miller } from './pairing.js'
import { G1_X, G1_Y, G2_XA, G2_XB, G2_YA, G2_YB, MODBYTES, MONT_R, P, R } from './params.js'

const malformed = (what: string): AnonCredsError => new AnonCredsError('anoncreds.malformed', `invalid ${what}`)

const MONT_R_INV = fpInv(MONT_R)
const MAX_HEX_DIGITS = 70 // an AMCL BIG holds 5 × 56 = 280 bits

function hex(n: bigint): string {
  return n
    .toString(16)
    .toUpperCase()
    .padStart(2 * MODBYTES, '0')
}

function bigToBytes(n: bigint, out: Uint8Array, offset: number): void {
  let v = n
  for (let i = MODBYTES - 1; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn)
    v >>= 8n
  }
}

function bigFromBytes(b: Uint8Array, offset: number, len = MODBYTES): bigint {
  let v = 0n
  for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(b[offset + i]!)
  return v
}

/** One Fp value as AMCL `FP::to_hex` writes it once reduced. */
const fpToHex = (v: bigint): string => `1 ${hex(fpMul(v, MONT_R))}`

/** Splits an AMCL hex string into `count` Fp values, after clsignatures' `pre_validate_point`. */
function parseFps(val: string, count: number, what: string): bigint[] {
  const parts = val.split(/[\t\n\f\r ]+/).filter((s) => s.length > 0)
  if (parts.length !== 2 * count) throw malformed(what)
  const out: bigint[] = []
  for (let i = 0; i < count; i++) {
    const xes = parts[2 * i]!
    const h = parts[2 * i + 1]!
    if (!/^\+?[0-9]+$/.test(xes) || Number(xes) === 0 || Number(xes) > 0xffffffff) throw malformed(what)
    if (!/^[0-9a-fA-F]+$/.test(h) || h.length > MAX_HEX_DIGITS) throw malformed(what)
    out.push(fpMul(fpMod(BigInt(`0x${h}`)), MONT_R_INV))
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------

/** An element of Z_r (clsignatures `GroupOrderElement`), immutable. */
export class GroupOrderElement {
  static readonly BYTES_REPR_SIZE = MODBYTES
  readonly value: bigint

  private constructor(value: bigint) {
    this.value = value
  }

  /** Reduces any integer mod r. */
  static of(n: bigint): GroupOrderElement {
    const v = n % R
    return new GroupOrderElement(v < 0n ? v + R : v)
  }
  /** Uniformly random in [0, r). */
  static random(): GroupOrderElement {
    return new GroupOrderElement(randomBelow(R))
  }
  static zero(): GroupOrderElement {
    return new GroupOrderElement(0n)
  }
  static order(): bigint {
    return R
  }
  /** AMCL `BIG::from_hex`, then mod r. */
  static fromString(s: string): GroupOrderElement {
    if (!/^[0-9a-fA-F]+$/.test(s) || s.length > MAX_HEX_DIGITS) throw malformed('GroupOrderElement')
    return GroupOrderElement.of(BigInt(`0x${s}`))
  }
  /** Big-endian, at most 32 bytes (left-padded), then mod r. */
  static fromBytes(b: Uint8Array): GroupOrderElement {
    if (b.length > MODBYTES) throw malformed('GroupOrderElement')
    return GroupOrderElement.of(b.length === 0 ? 0n : bigFromBytes(b, 0, b.length))
  }

  isZero(): boolean {
    return this.value === 0n
  }
  add(o: GroupOrderElement): GroupOrderElement {
    return GroupOrderElement.of(this.value + o.value)
  }
  sub(o: GroupOrderElement): GroupOrderElement {
    return GroupOrderElement.of(this.value - o.value)
  }
  mul(o: GroupOrderElement): GroupOrderElement {
    return GroupOrderElement.of(this.value * o.value)
  }
  neg(): GroupOrderElement {
    return GroupOrderElement.of(-this.value)
  }
  /** 1/x mod r (0 maps to 0, like AMCL `invmodp`). */
  inverse(): GroupOrderElement {
    return this.powMod(GroupOrderElement.of(R - 2n))
  }
  powMod(e: GroupOrderElement): GroupOrderElement {
    let result = 1n
    let b = this.value
    let x = e.value
    while (x > 0n) {
      if (x & 1n) result = (result * b) % R
      b = (b * b) % R
      x >>= 1n
    }
    return new GroupOrderElement(result)
  }
  equals(o: GroupOrderElement): boolean {
    return this.value === o.value
  }
  toString(): string {
    return hex(this.value)
  }
  toBytes(): Uint8Array {
    const out = new Uint8Array(MODBYTES)
    bigToBytes(this.value, out, 0)
    return out
  }
  toJSON(): string {
    return this.toString()
  }
}

const scalar = (e: GroupOrderElement | bigint): bigint => (typeof e === 'bigint' ? e : e.value)

// ---------------------------------------------------------------------------------------------------------------

/** A point of G1 (clsignatures `PointG1`), immutable. */
export class PointG1 {
  static readonly BYTES_REPR_SIZE = MODBYTES * 4
  readonly point: C.Projective<bigint>

  private constructor(point: C.Projective<bigint>) {
    this.point = point
  }

  static generator(): PointG1 {
    return new PointG1({ x: G1_X, y: G1_Y, z: 1n })
  }
  static infinity(): PointG1 {
    return new PointG1(C.infinity(C.FP_FIELD))
  }
  /** A random point g^k. */
  static random(): PointG1 {
    return PointG1.generator().mul(GroupOrderElement.random())
  }
  /** From affine coordinates; throws unless on the curve. */
  static fromAffine(x: bigint, y: bigint): PointG1 {
    const p = { x: fpMod(x), y: fpMod(y), z: 1n }
    if (!C.isOnCurve(C.FP_FIELD, p)) throw malformed('PointG1')
    return new PointG1(p)
  }
  /** clsignatures `PointG1::from_string` (infinity rejected unless `allowInfinity`, like `from_string_inf`). */
  static fromString(s: string, allowInfinity = false): PointG1 {
    const [x, y, z] = parseFps(s, 3, 'PointG1') as [bigint, bigint, bigint]
    const p = { x, y, z }
    if (!C.isOnCurve(C.FP_FIELD, p)) throw malformed('PointG1')
    const res = new PointG1(x === 0n && z === 0n ? C.infinity(C.FP_FIELD) : p)
    if (!allowInfinity && res.isInf()) throw malformed('PointG1 (infinity)')
    return res
  }
  /** AMCL `ECP::frombytes` (0x04 uncompressed or 0x02/0x03 compressed); invalid input gives infinity, as in AMCL. */
  static fromBytes(b: Uint8Array): PointG1 {
    if (b.length !== PointG1.BYTES_REPR_SIZE) throw malformed('PointG1 byte length')
    const px = bigFromBytes(b, 1)
    if (px >= P) return PointG1.infinity()
    if (b[0] === 0x04) {
      const py = bigFromBytes(b, 1 + MODBYTES)
      if (py >= P) return PointG1.infinity()
      const p = { x: px, y: py, z: 1n }
      return C.isOnCurve(C.FP_FIELD, p) ? new PointG1(p) : PointG1.infinity()
    }
    if (b[0] === 0x02 || b[0] === 0x03) {
      let y = fpSqrt(fpMod(px * px * px + 2n))
      if (y === undefined) return PointG1.infinity()
      if (Number(y & 1n) !== (b[0] & 1)) y = fpMod(-y)
      return new PointG1({ x: px, y, z: 1n })
    }
    return PointG1.infinity()
  }

  isInf(): boolean {
    return C.isInfinity(C.FP_FIELD, this.point)
  }
  add(q: PointG1): PointG1 {
    return new PointG1(C.add(C.FP_FIELD, this.point, q.point))
  }
  sub(q: PointG1): PointG1 {
    return new PointG1(C.add(C.FP_FIELD, this.point, C.neg(C.FP_FIELD, q.point)))
  }
  neg(): PointG1 {
    return new PointG1(C.neg(C.FP_FIELD, this.point))
  }
  mul(e: GroupOrderElement | bigint): PointG1 {
    return new PointG1(C.mul(C.FP_FIELD, this.point, scalar(e)))
  }
  equals(q: PointG1): boolean {
    return C.equals(C.FP_FIELD, this.point, q.point)
  }
  affine(): { x: bigint; y: bigint } {
    const a = C.toAffine(C.FP_FIELD, this.point)
    return { x: a.x, y: a.y }
  }
  toString(): string {
    const a = C.toAffine(C.FP_FIELD, this.point)
    return `${fpToHex(a.x)} ${fpToHex(a.y)} ${fpToHex(a.z)}`
  }
  toBytes(): Uint8Array {
    const a = C.toAffine(C.FP_FIELD, this.point)
    const out = new Uint8Array(PointG1.BYTES_REPR_SIZE)
    out[0] = 0x04
    bigToBytes(a.x, out, 1)
    bigToBytes(a.y, out, 1 + MODBYTES)
    return out
  }
  toJSON(): string {
    return this.toString()
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** A point of G2 on the twist (clsignatures `PointG2` / `PointG2Inf`), immutable. */
export class PointG2 {
  static readonly BYTES_REPR_SIZE = MODBYTES * 4
  readonly point: C.Projective<Fp2>

  private constructor(point: C.Projective<Fp2>) {
    this.point = point
  }

  static generator(): PointG2 {
    return new PointG2({ x: [G2_XA, G2_XB], y: [G2_YA, G2_YB], z: [1n, 0n] })
  }
  static infinity(): PointG2 {
    return new PointG2(C.infinity(C.FP2_FIELD))
  }
  static random(): PointG2 {
    return PointG2.generator().mul(GroupOrderElement.random())
  }
  /** clsignatures `PointG2::from_string` (`from_string_inf` with `allowInfinity`). */
  static fromString(s: string, allowInfinity = false): PointG2 {
    const v = parseFps(s, 6, 'PointG2') as [bigint, bigint, bigint, bigint, bigint, bigint]
    const p = { x: [v[0], v[1]] as Fp2, y: [v[2], v[3]] as Fp2, z: [v[4], v[5]] as Fp2 }
    if (!C.isOnCurve(C.FP2_FIELD, p)) throw malformed('PointG2')
    const inf = v[0] === 0n && v[1] === 0n && v[4] === 0n && v[5] === 0n
    const res = new PointG2(inf ? C.infinity(C.FP2_FIELD) : p)
    if (!allowInfinity && res.isInf()) throw malformed('PointG2 (infinity)')
    return res
  }
  /** AMCL `ECP2::frombytes`: off-curve input gives infinity, as in AMCL. */
  static fromBytes(b: Uint8Array): PointG2 {
    if (b.length !== PointG2.BYTES_REPR_SIZE) throw malformed('PointG2 byte length')
    const v = [0, 1, 2, 3].map((i) => fpMod(bigFromBytes(b, i * MODBYTES))) as [bigint, bigint, bigint, bigint]
    const p = { x: [v[0], v[1]] as Fp2, y: [v[2], v[3]] as Fp2, z: [1n, 0n] as Fp2 }
    return C.isOnCurve(C.FP2_FIELD, p) ? new PointG2(p) : PointG2.infinity()
  }

  isInf(): boolean {
    return C.isInfinity(C.FP2_FIELD, this.point)
  }
  add(q: PointG2): PointG2 {
    return new PointG2(C.add(C.FP2_FIELD, this.point, q.point))
  }
  sub(q: PointG2): PointG2 {
    return new PointG2(C.add(C.FP2_FIELD, this.point, C.neg(C.FP2_FIELD, q.point)))
  }
  neg(): PointG2 {
    return new PointG2(C.neg(C.FP2_FIELD, this.point))
  }
  mul(e: GroupOrderElement | bigint): PointG2 {
    return new PointG2(C.mul(C.FP2_FIELD, this.point, scalar(e)))
  }
  equals(q: PointG2): boolean {
    return C.equals(C.FP2_FIELD, this.point, q.point)
  }
  /** In the order-r subgroup ([r]Q = O): the twist has other points on the curve that `fromString` accepts. */
  inSubgroup(): boolean {
    return C.isInfinity(C.FP2_FIELD, C.mul(C.FP2_FIELD, this.point, GroupOrderElement.order()))
  }
  toString(): string {
    const a = C.toAffine(C.FP2_FIELD, this.point)
    return [a.x, a.y, a.z].map((c) => `${fpToHex(c[0])} ${fpToHex(c[1])}`).join(' ')
  }
  toBytes(): Uint8Array {
    const a = C.toAffine(C.FP2_FIELD, this.point)
    const out = new Uint8Array(PointG2.BYTES_REPR_SIZE)
    for (const [i, c] of [a.x[0], a.x[1], a.y[0], a.y[1]].entries()) bigToBytes(c, out, i * MODBYTES)
    return out
  }
  toJSON(): string {
    return this.toString()
  }
}

// ---------------------------------------------------------------------------------------------------------------

const fp12Coeffs = (f: Fp12): bigint[] => f.flatMap((c4) => c4.flatMap((c2) => [c2[0], c2[1]]))
function fp12FromCoeffs(v: readonly bigint[]): Fp12 {
  const fp2 = (i: number): Fp2 => [v[i]!, v[i + 1]!]
  const fp4 = (i: number): Fp4 => [fp2(i), fp2(i + 2)]
  return [fp4(0), fp4(4), fp4(8)]
}

/** An element of GT ⊂ Fp12 (clsignatures `Pair`), immutable. */
export class Pair {
  static readonly BYTES_REPR_SIZE = MODBYTES * 16
  readonly value: Fp12

  private constructor(value: Fp12) {
    this.value = value
  }

  /** e(p, q) = fexp(ate(q, p)) */
  static pair(p: PointG1, q: PointG2): Pair {
    return Pair.multi([[p, q]])
  }
  /** e(p, q) · e(r, s) with one Miller loop (`ate2`). */
  static pair2(p: PointG1, q: PointG2, r: PointG1, s: PointG2): Pair {
    return Pair.multi([
      [p, q],
      [r, s],
    ])
  }
  /** Product of pairings; pairs with a point at infinity contribute 1. */
  static multi(pairs: readonly (readonly [PointG1, PointG2])[]): Pair {
    const inputs = pairs.filter(([p, q]) => !p.isInf() && !q.isInf()).map(([p, q]) => ({ p: p.affine(), q: q.point }))
    return new Pair(finalExponentiation(miller(inputs)))
  }
  static unity(): Pair {
    return new Pair(FP12_ONE)
  }
  /** clsignatures `Pair::from_string`: 12 Fp values, then the GT membership check of `is_valid_pair`. */
  static fromString(s: string): Pair {
    const f = fp12FromCoeffs(parseFps(s, 12, 'Pair'))
    // g^(p⁴ − p² + 1) = 1  ⇔  g^(p⁴ + 1) = g^(p²)
    const lhs = fp12Frob(fp12Frob(f, FROB), FROB)
    const rhs = fp12Mul(fp12Frob(fp12Frob(lhs, FROB), FROB), f)
    if (!fp12Eq(lhs, rhs)) throw malformed('Pair')
    return new Pair(f)
  }
  /** AMCL `FP12::frombytes` (no membership check, as in clsignatures). */
  static fromBytes(b: Uint8Array): Pair {
    if (b.length !== Pair.BYTES_REPR_SIZE) throw malformed('Pair byte length')
    return new Pair(fp12FromCoeffs(Array.from({ length: 12 }, (_, i) => fpMod(bigFromBytes(b, i * MODBYTES)))))
  }

  mul(o: Pair): Pair {
    return new Pair(fp12Mul(this.value, o.value))
  }
  pow(e: GroupOrderElement | bigint): Pair {
    const k = scalar(e)
    return k < 0n ? new Pair(fp12Pow(fp12Conj(this.value), -k)) : new Pair(fp12Pow(this.value, k))
  }
  /** 1/x by conjugation (valid in GT), as clsignatures does. */
  inverse(): Pair {
    return new Pair(fp12Conj(this.value))
  }
  isUnity(): boolean {
    return fp12IsOne(this.value)
  }
  equals(o: Pair): boolean {
    return fp12Eq(this.value, o.value)
  }
  toString(): string {
    return fp12Coeffs(this.value).map(fpToHex).join(' ')
  }
  toBytes(): Uint8Array {
    const out = new Uint8Array(Pair.BYTES_REPR_SIZE)
    for (const [i, c] of fp12Coeffs(this.value).entries()) bigToBytes(c, out, i * MODBYTES)
    return out
  }
  toJSON(): string {
    return this.toString()
  }
}
