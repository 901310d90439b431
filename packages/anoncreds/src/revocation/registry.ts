/**
 * The CKS accumulator of clsignatures (`RevocationRegistry`, `Tail`, `RevocationTailsGenerator`, issuer's
 * `_update_revocation_accumulator`, `RevocationRegistryDelta::merge`) and anoncreds-rs' tails file
 * (`src/services/tails.rs`: version tag 0x00 0x02, then every tail's 128 bytes; the hash is base58(SHA-256(file))).
 *
 * With L = maxCredNum and index(i) = L + 1 − i, credential i contributes tail[index(i)] = g'^(γ^(L+1−i)) to the
 * accumulator; the tails file holds tail[k] = g'^(γ^k) for k = 0..2L, with tail[L+1] replaced by g' (γ^(L+1) is
 * the secret behind z).
 */
import { createHash } from 'node:crypto'
import { AnonCredsError } from '../errors.js'
import { GroupOrderElement, PointG2 } from '../pairing/groups.js'
import type { CredentialRevocationPublicKey, RevocationKeyPrivate, RevocationRegistry, RevocationRegistryDelta } from './types.js'

const MAX_U32 = 0xffffffff

export function checkMaxCredNum(maxCredNum: number): void {
  if (!Number.isInteger(maxCredNum) || maxCredNum < 1 || 2 * maxCredNum + 1 > MAX_U32) {
    throw new AnonCredsError('anoncreds.options_invalid', 'max_cred_num out of range')
  }
}

export function checkRevIdx(revIdx: number, maxCredNum: number): void {
  if (!Number.isInteger(revIdx) || revIdx < 1 || revIdx > maxCredNum) {
    throw new AnonCredsError('anoncreds.options_invalid', 'Revocation index is outside of valid range')
  }
}

/** clsignatures `Issuer::_get_index`: the tail index of credential `revIdx`. */
export const tailIndex = (maxCredNum: number, revIdx: number): number => maxCredNum + 1 - revIdx

/** γ^index mod r (`Tail::index_pow`). */
export const indexPow = (index: number, gamma: GroupOrderElement): GroupOrderElement =>
  gamma.powMod(GroupOrderElement.of(BigInt(index)))

/** g'^(γ^index) (`Tail::new`). */
export const tailAt = (index: number, gDash: PointG2, gamma: GroupOrderElement): PointG2 => gDash.mul(indexPow(index, gamma))

/** Σ_{k = start..end} g'^(γ^k) (`Tail::accum_range`). */
export function accumRange(gDash: PointG2, gamma: GroupOrderElement, start: number, end: number): PointG2 {
  const [lo, hi] = start <= end ? [start, end] : [end, start]
  let pow = indexPow(lo, gamma)
  let acc = pow
  for (let k = lo; k < hi; k++) {
    pow = pow.mul(gamma)
    acc = acc.add(pow)
  }
  return gDash.mul(acc)
}

/** Σ_{k in indexes, k ≠ 0} g'^(γ^k) (`Tail::accum_indexes`). */
export function accumIndexes(gDash: PointG2, gamma: GroupOrderElement, indexes: Iterable<number>): PointG2 {
  let acc = GroupOrderElement.zero()
  for (const k of indexes) if (k !== 0) acc = acc.add(indexPow(k, gamma))
  return gDash.mul(acc)
}

/** `RevocationRegistry::initial_state`: all credentials in the accumulator (issuance by default) or none. */
export function initialRevocationRegistry(
  publicKey: CredentialRevocationPublicKey,
  privateKey: RevocationKeyPrivate,
  maxCredNum: number,
  issuanceByDefault: boolean,
): RevocationRegistry {
  checkMaxCredNum(maxCredNum)
  return {
    accum: issuanceByDefault ? accumRange(publicKey.g_dash, privateKey.gamma, 1, maxCredNum) : PointG2.infinity(),
  }
}

/**
 * The accumulator holding exactly the given credentials: Σ tail[L + 1 − i]. (clsignatures' `RevocationRegistry::for_issued`,
 * unused by anoncreds-rs, sums tail[i] for the given i instead, which does not match the witnesses; this one does.)
 */
export function revocationRegistryForIssued(
  publicKey: CredentialRevocationPublicKey,
  privateKey: RevocationKeyPrivate,
  maxCredNum: number,
  issued: Iterable<number>,
): RevocationRegistry {
  checkMaxCredNum(maxCredNum)
  const idx = [...new Set(issued)]
  for (const i of idx) checkRevIdx(i, maxCredNum)
  return {
    accum: accumIndexes(
      publicKey.g_dash,
      privateKey.gamma,
      idx.map((i) => tailIndex(maxCredNum, i)),
    ),
  }
}

/** `Issuer::_update_revocation_accumulator`: adds (issue/unrevoke) or removes (revoke) credentials' tails. */
export function updateAccumulator(
  accum: PointG2,
  publicKey: CredentialRevocationPublicKey,
  privateKey: RevocationKeyPrivate,
  maxCredNum: number,
  updates: Iterable<readonly [revIdx: number, remove: boolean]>,
): PointG2 {
  let pow = GroupOrderElement.zero()
  for (const [revIdx, remove] of updates) {
    checkRevIdx(revIdx, maxCredNum)
    const p = indexPow(tailIndex(maxCredNum, revIdx), privateKey.gamma)
    pow = remove ? pow.sub(p) : pow.add(p)
  }
  return pow.isZero() ? accum : accum.add(publicKey.g_dash.mul(pow))
}

/** `Issuer::update_revocation_registry` (issued and revoked are sets of credential indexes). */
export function updateRevocationRegistry(
  registry: RevocationRegistry,
  publicKey: CredentialRevocationPublicKey,
  privateKey: RevocationKeyPrivate,
  maxCredNum: number,
  issued: Iterable<number>,
  revoked: Iterable<number>,
): { registry: RevocationRegistry; delta: RevocationRegistryDelta } {
  const iss = new Set(issued)
  const rev = new Set(revoked)
  const updates: [number, boolean][] = [...[...iss].map((i) => [i, false] as [number, boolean])]
  for (const i of rev) updates.push([i, true])
  const accum = updateAccumulator(registry.accum, publicKey, privateKey, maxCredNum, updates)
  return { registry: { accum }, delta: { prevAccum: registry.accum, accum, issued: iss, revoked: rev } }
}

/** `Issuer::revoke_credential` */
export const revokeCredential = (
  registry: RevocationRegistry,
  publicKey: CredentialRevocationPublicKey,
  privateKey: RevocationKeyPrivate,
  maxCredNum: number,
  revIdx: number,
) => updateRevocationRegistry(registry, publicKey, privateKey, maxCredNum, [], [revIdx])

/** `Issuer::unrevoke_credential` */
export const unrevokeCredential = (
  registry: RevocationRegistry,
  publicKey: CredentialRevocationPublicKey,
  privateKey: RevocationKeyPrivate,
  maxCredNum: number,
  revIdx: number,
) => updateRevocationRegistry(registry, publicKey, privateKey, maxCredNum, [revIdx], [])

/** `RevocationRegistryDelta::merge`: `older` followed by `newer` (newer.prevAccum must equal older.accum). */
export function mergeDeltas(older: RevocationRegistryDelta, newer: RevocationRegistryDelta): RevocationRegistryDelta {
  if (newer.prevAccum === undefined || !older.accum.equals(newer.prevAccum)) {
    throw new AnonCredsError('anoncreds.invalid_object', 'Deltas can not be merged.')
  }
  const issued = new Set(older.issued)
  const revoked = new Set(older.revoked)
  for (const i of newer.issued) if (!older.revoked.has(i)) issued.add(i)
  for (const i of newer.revoked) if (!older.issued.has(i)) revoked.add(i)
  for (const i of newer.revoked) issued.delete(i)
  for (const i of newer.issued) revoked.delete(i)
  return { ...(older.prevAccum ? { prevAccum: older.prevAccum } : {}), accum: newer.accum, issued, revoked }
}

// ---------------------------------------------------------------------------------------------------------------

/** Random access to tails (clsignatures `RevocationTailsAccessor`). */
export interface TailsAccessor {
  tail(index: number): PointG2
}

/** `RevocationTailsGenerator`: yields tail[0..2L] one by one (each a G2 multiplication by γ). */
export class RevocationTailsGenerator {
  readonly size: number
  private index = 0
  private cur: PointG2 | undefined
  private readonly gDash: PointG2
  private readonly gamma: GroupOrderElement

  constructor(maxCredNum: number, gamma: GroupOrderElement, gDash: PointG2) {
    checkMaxCredNum(maxCredNum)
    this.size = 2 * maxCredNum + 1
    this.gamma = gamma
    this.gDash = gDash
  }

  count(): number {
    return this.size - this.index
  }

  next(): PointG2 | undefined {
    if (this.index >= this.size) return undefined
    const res = this.cur ? this.cur.mul(this.gamma) : this.gDash
    this.cur = res
    const out = this.index === Math.floor(this.size / 2) + 1 ? this.gDash : res
    this.index++
    return out
  }

  *[Symbol.iterator](): IterableIterator<PointG2> {
    for (let t = this.next(); t !== undefined; t = this.next()) yield t
  }
}

/** All tails in memory (`SimpleTailsAccessor`). */
export class SimpleTailsAccessor implements TailsAccessor {
  readonly tails: readonly PointG2[]
  constructor(tails: Iterable<PointG2>) {
    this.tails = [...tails]
  }
  tail(index: number): PointG2 {
    const t = this.tails[index]
    if (t === undefined) throw new AnonCredsError('anoncreds.invalid_object', 'tail index out of range')
    return t
  }
}

export const TAILS_FILE_VERSION = Uint8Array.of(0, 2)
export const TAIL_SIZE = PointG2.BYTES_REPR_SIZE

/** The tails file anoncreds-rs writes, and its `tailsHash` (base58 of the SHA-256 of the whole file). */
export function createTailsFile(tails: Iterable<PointG2>): { bytes: Uint8Array; hash: string } {
  const list = [...tails]
  const bytes = new Uint8Array(TAILS_FILE_VERSION.length + TAIL_SIZE * list.length)
  bytes.set(TAILS_FILE_VERSION, 0)
  list.forEach((t, i) => {
    bytes.set(t.toBytes(), TAILS_FILE_VERSION.length + i * TAIL_SIZE)
  })
  return { bytes, hash: tailsFileHash(bytes) }
}

export const tailsFileHash = (bytes: Uint8Array): string => base58(createHash('sha256').update(bytes).digest())

/** Reads tails from a tails file's bytes (anoncreds-rs `TailsFileReader`). */
export class TailsFileAccessor implements TailsAccessor {
  private readonly bytes: Uint8Array
  constructor(bytes: Uint8Array) {
    if (
      bytes.length < TAILS_FILE_VERSION.length ||
      bytes[0] !== TAILS_FILE_VERSION[0] ||
      bytes[1] !== TAILS_FILE_VERSION[1] ||
      (bytes.length - TAILS_FILE_VERSION.length) % TAIL_SIZE !== 0
    ) {
      throw new AnonCredsError('anoncreds.malformed', 'invalid tails file')
    }
    this.bytes = bytes
  }
  get count(): number {
    return (this.bytes.length - TAILS_FILE_VERSION.length) / TAIL_SIZE
  }
  tail(index: number): PointG2 {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new AnonCredsError('anoncreds.invalid_object', 'tail index out of range')
    }
    const off = TAILS_FILE_VERSION.length + index * TAIL_SIZE
    return PointG2.fromBytes(this.bytes.subarray(off, off + TAIL_SIZE))
  }
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
function base58(bytes: Uint8Array): string {
  let n = 0n
  for (const b of bytes) n = (n << 8n) | BigInt(b)
  let out = ''
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out
    n /= 58n
  }
  for (const b of bytes) {
    if (b !== 0) break
    out = `1${out}`
  }
  return out
}
