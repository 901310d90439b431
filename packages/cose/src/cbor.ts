import { Buffer } from 'node:buffer'
import { CoseError } from './errors.js'

/** A CBOR tag (major type 6) around a value. Tag 24 (embedded CBOR) keeps its bytes exactly as received. */
export class Tagged<T = CborValue> {
  readonly tag: number
  readonly value: T
  /** For tag 24 from the decoder: the item's bytes exactly as received (tag, length head, content). */
  readonly raw?: Uint8Array
  constructor(tag: number, value: T, raw?: Uint8Array) {
    this.tag = tag
    this.value = value
    if (raw) this.raw = raw
  }
}

/** Bytes that are already a CBOR item: the encoder copies them verbatim (no decode/re-encode round trip). */
export class RawCbor {
  readonly bytes: Uint8Array
  constructor(bytes: Uint8Array) {
    this.bytes = bytes
  }
}

/** CBOR simple value other than false/true/null/undefined. */
export class Simple {
  readonly value: number
  constructor(value: number) {
    this.value = value
  }
}

export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | undefined
  | Uint8Array
  | CborValue[]
  | Map<CborValue, CborValue>
  | Tagged
  | Simple
  | RawCbor

export interface DecodeOptions {
  /** Maximum input length (default 1 MiB). */
  maxBytes?: number
  /** Maximum nesting depth (default 64). */
  maxDepth?: number
  /** Maximum items in one array or map (default 65536). */
  maxItems?: number
  /** Reject encodings that are not the shortest form (RFC 8949 §4.2.1 preferred serialization of heads). */
  requireCanonical?: boolean
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Strict CBOR decoding (RFC 8949): definite lengths only, no trailing bytes, no duplicate map keys,
 * bounded size, depth and item counts; maps decode to `Map` so integer keys survive.
 */
export function decodeCbor(bytes: Uint8Array, o: DecodeOptions = {}): CborValue {
  const maxBytes = o.maxBytes ?? 1 << 20
  if (bytes.byteLength > maxBytes) throw new CoseError('cose.cbor_too_large', 'CBOR input too large')
  const maxDepth = o.maxDepth ?? 64
  const maxItems = o.maxItems ?? 65536
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 0

  const need = (n: number): void => {
    if (pos + n > bytes.byteLength) throw new CoseError('cose.cbor_truncated', 'CBOR input is truncated')
  }
  const argument = (info: number): number | bigint => {
    let v: number | bigint
    if (info < 24) return info
    if (info === 24) {
      need(1)
      v = bytes[pos++] as number
      if (o.requireCanonical && v < 24) throw new CoseError('cose.cbor_not_canonical', 'non-shortest integer encoding')
      return v
    }
    if (info === 25) {
      need(2)
      v = dv.getUint16(pos)
      pos += 2
      if (o.requireCanonical && v < 0x100) throw new CoseError('cose.cbor_not_canonical', 'non-shortest integer encoding')
      return v
    }
    if (info === 26) {
      need(4)
      v = dv.getUint32(pos)
      pos += 4
      if (o.requireCanonical && v < 0x10000) throw new CoseError('cose.cbor_not_canonical', 'non-shortest integer encoding')
      return v
    }
    if (info === 27) {
      need(8)
      const b = dv.getBigUint64(pos)
      pos += 8
      if (o.requireCanonical && b < 0x100000000n) throw new CoseError('cose.cbor_not_canonical', 'non-shortest integer encoding')
      return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b
    }
    if (info === 31) throw new CoseError('cose.cbor_unsupported', 'indefinite-length items are not accepted')
    throw new CoseError('cose.cbor_malformed', 'reserved additional information')
  }
  const length = (info: number): number => {
    const n = argument(info)
    if (typeof n === 'bigint' || n > bytes.byteLength) throw new CoseError('cose.cbor_truncated', 'length exceeds the input')
    return n
  }

  const item = (depth: number): CborValue => {
    if (depth > maxDepth) throw new CoseError('cose.cbor_too_deep', 'CBOR nested too deeply')
    need(1)
    const ib = bytes[pos++] as number
    const major = ib >> 5
    const info = ib & 0x1f
    switch (major) {
      case 0:
        return argument(info)
      case 1: {
        const n = argument(info)
        return typeof n === 'bigint' ? -1n - n : n >= Number.MAX_SAFE_INTEGER ? -1n - BigInt(n) : -1 - n
      }
      case 2: {
        const n = length(info)
        need(n)
        const out = bytes.subarray(pos, pos + n)
        pos += n
        return out
      }
      case 3: {
        const n = length(info)
        need(n)
        let s: string
        try {
          s = utf8.decode(bytes.subarray(pos, pos + n))
        } catch {
          throw new CoseError('cose.cbor_malformed', 'text string is not valid UTF-8')
        }
        pos += n
        return s
      }
      case 4: {
        const n = length(info)
        if (n > maxItems) throw new CoseError('cose.cbor_too_large', 'too many array items')
        const arr: CborValue[] = []
        for (let i = 0; i < n; i++) arr.push(item(depth + 1))
        return arr
      }
      case 5: {
        const n = length(info)
        if (n > maxItems) throw new CoseError('cose.cbor_too_large', 'too many map entries')
        const map = new Map<CborValue, CborValue>()
        // Text keys (the common case) are distinct exactly when the Map has no equal key; identities only for the rest.
        let seen: Set<string> | undefined
        for (let i = 0; i < n; i++) {
          const start = pos
          const k = item(depth + 1)
          if (typeof k === 'string') {
            if (map.has(k)) throw new CoseError('cose.cbor_duplicate_key', 'duplicate map key')
          } else {
            seen ??= new Set<string>()
            const keyId = keyIdentity(k, bytes, start, pos)
            if (seen.has(keyId)) throw new CoseError('cose.cbor_duplicate_key', 'duplicate map key')
            seen.add(keyId)
          }
          map.set(k, item(depth + 1))
        }
        return map
      }
      case 6: {
        const start = pos - 1
        const tag = argument(info)
        if (typeof tag === 'bigint') throw new CoseError('cose.cbor_unsupported', 'tag number too large')
        const value = item(depth + 1)
        // Embedded CBOR (tag 24) keeps its exact encoding: digests and signatures are over the bytes as received.
        return tag === 24 ? new Tagged(tag, value, bytes.subarray(start, pos)) : new Tagged(tag, value)
      }
      default:
        return simple(info)
    }
  }

  const simple = (info: number): CborValue => {
    if (info === 20) return false
    if (info === 21) return true
    if (info === 22) return null
    if (info === 23) return undefined
    if (info === 24) {
      need(1)
      const v = bytes[pos++] as number
      if (v < 32) throw new CoseError('cose.cbor_malformed', 'invalid simple value')
      return new Simple(v)
    }
    if (info === 25) {
      need(2)
      const v = halfToNumber(dv.getUint16(pos))
      pos += 2
      return v
    }
    if (info === 26) {
      need(4)
      const v = dv.getFloat32(pos)
      pos += 4
      return v
    }
    if (info === 27) {
      need(8)
      const v = dv.getFloat64(pos)
      pos += 8
      return v
    }
    if (info < 20) return new Simple(info)
    if (info === 31) throw new CoseError('cose.cbor_unsupported', 'break outside an indefinite-length item')
    throw new CoseError('cose.cbor_malformed', 'reserved simple value encoding')
  }

  const v = item(0)
  if (pos !== bytes.byteLength) throw new CoseError('cose.cbor_trailing_bytes', 'bytes after the CBOR item')
  return v
}

function keyIdentity(k: CborValue, bytes: Uint8Array, start: number, end: number): string {
  // Equal keys have equal encodings only in canonical CBOR; compare by value for scalars and by bytes otherwise.
  if (typeof k === 'number' || typeof k === 'bigint') return `n:${String(k)}`
  return `b:${Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('hex')}`
}

function halfToNumber(h: number): number {
  const exp = (h >> 10) & 0x1f
  const mant = h & 0x3ff
  const sign = h & 0x8000 ? -1 : 1
  if (exp === 0) return sign * 2 ** -14 * (mant / 1024)
  if (exp === 31) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY
  return sign * 2 ** (exp - 15) * (1 + mant / 1024)
}
