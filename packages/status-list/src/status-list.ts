import { deflateSync, inflateSync } from 'node:zlib'
import pako from 'pako'
import { StatusListError } from './errors.js'

export type Bits = 1 | 2 | 4 | 8

/** Status types (draft-ietf-oauth-status-list-20 §7.1). 0x03 and 0x0C–0x0F are application-specific. */
export const STATUS = { VALID: 0x00, INVALID: 0x01, SUSPENDED: 0x02 } as const

export function isBits(v: unknown): v is Bits {
  return v === 1 || v === 2 || v === 4 || v === 8
}

export interface InflateLimits {
  /** Maximum compressed size accepted (default 4 MiB). */
  maxCompressedBytes?: number
  /** Maximum inflated size (default 16 MiB = 134M 1-bit entries): a decompression bomb stops here. */
  maxInflatedBytes?: number
}

/**
 * A Token Status List (§4.1): `bits` per entry, packed least-significant-bit first. One packed
 * byte array, read and written in place; lookups are a shift and a mask.
 */
export class StatusList {
  readonly bits: Bits
  readonly bytes: Uint8Array
  private readonly _perByte: number
  private readonly _mask: number
  /** log2(entries per byte), entries-per-byte − 1, log2(bits), entry count: lookups are shifts and masks. */
  private readonly _byteShift: number
  private readonly _slotMask: number
  private readonly _bitShift: number
  private readonly _size: number

  constructor(bits: Bits, bytes: Uint8Array) {
    if (!isBits(bits)) throw new StatusListError('status_list.bits_invalid', 'bits must be 1, 2, 4 or 8')
    this.bits = bits
    this.bytes = bytes
    this._perByte = 8 / bits
    this._mask = (1 << bits) - 1
    this._byteShift = Math.log2(this._perByte)
    this._slotMask = this._perByte - 1
    this._bitShift = Math.log2(bits)
    this._size = bytes.byteLength * this._perByte
    const size = this._size
    const byteShift = this._byteShift
    const slotMask = this._slotMask
    const bitShift = this._bitShift
    const mask = this._mask
    this.get = (index: number): number => {
      // `index >>> 0 === index` accepts exactly the integers 0 … 2^32-1 (no NaN, fractions, negatives).
      if (index >>> 0 !== index || index >= size)
        throw new StatusListError('status_list.index_out_of_range', 'index is outside the status list')
      return ((bytes[index >>> byteShift] as number) >>> ((index & slotMask) << bitShift)) & mask
    }
  }

  /** A list of at least `size` entries, all VALID. */
  static create(size: number, bits: Bits): StatusList {
    if (!Number.isInteger(size) || size <= 0)
      throw new StatusListError('status_list.index_out_of_range', 'size must be a positive integer')
    if (!isBits(bits)) throw new StatusListError('status_list.bits_invalid', 'bits must be 1, 2, 4 or 8')
    return new StatusList(bits, new Uint8Array(Math.ceil((size * bits) / 8)))
  }

  /** Number of entries the list can hold. */
  get size(): number {
    return this._size
  }

  /**
   * The status at `index`. A closure over locals built once per list: V8 inlines it into callers'
   * loops, so a lookup costs about as much as the raw shift-and-mask.
   */
  readonly get: (index: number) => number

  set(index: number, value: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new StatusListError('status_list.index_out_of_range', 'index is outside the status list')
    }
    if (!Number.isInteger(value) || value < 0 || value > this._mask) {
      throw new StatusListError('status_list.value_out_of_range', `value does not fit in ${this.bits} bits`)
    }
    const i = (index / this._perByte) | 0
    const shift = (index % this._perByte) * this.bits
    this.bytes[i] = ((this.bytes[i] as number) & ~(this._mask << shift)) | (value << shift)
  }

  /**
   * ZLIB/DEFLATE at the highest level (§4.1 step 4), with node's native zlib. `reference: true`
   * uses a port of reference zlib instead, whose output is byte-identical to the draft's examples
   * (node bundles Chromium's zlib, which emits a different, equally valid and equally small stream).
   */
  compress(o: { reference?: boolean } = {}): Uint8Array {
    if (o.reference) return pako.deflate(this.bytes, { level: 9 })
    const c = deflateSync(this.bytes, { level: 9 })
    return new Uint8Array(c.buffer, c.byteOffset, c.byteLength)
  }

  /** Inflate a compressed list with bounds on both sizes (checked before and during inflation). */
  static decompress(compressed: Uint8Array, bits: Bits, limits: InflateLimits = {}): StatusList {
    if (!isBits(bits)) throw new StatusListError('status_list.bits_invalid', 'bits must be 1, 2, 4 or 8')
    if (compressed.byteLength > (limits.maxCompressedBytes ?? 4 << 20)) {
      throw new StatusListError('status_list.compressed_too_large', 'compressed status list too large')
    }
    let raw: Uint8Array
    try {
      raw = inflateSync(compressed, { maxOutputLength: limits.maxInflatedBytes ?? 16 << 20 })
    } catch (cause) {
      const code =
        (cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
          ? 'status_list.inflated_too_large'
          : 'status_list.encoding_invalid'
      throw new StatusListError(
        code,
        code === 'status_list.inflated_too_large' ? 'inflated status list too large' : 'not a ZLIB stream',
        { cause },
      )
    }
    if (raw.byteLength === 0) throw new StatusListError('status_list.encoding_invalid', 'empty status list')
    return new StatusList(bits, new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength))
  }

  /** Count entries per status value (for summaries). */
  counts(): Map<number, number> {
    const out = new Map<number, number>()
    if (this.bits === 8) {
      for (const b of this.bytes) out.set(b, (out.get(b) ?? 0) + 1)
      return out
    }
    const zero = this.bytes.reduce((n, b) => n + (b === 0 ? 1 : 0), 0)
    out.set(0, zero * this._perByte)
    for (let i = 0; i < this.bytes.byteLength; i++) {
      const b = this.bytes[i] as number
      if (b === 0) continue
      for (let k = 0; k < this._perByte; k++) {
        const v = (b >> (k * this.bits)) & this._mask
        out.set(v, (out.get(v) ?? 0) + 1)
      }
    }
    return out
  }
}
