import { Buffer } from 'node:buffer'
import { type CborValue, RawCbor, Simple, Tagged } from './cbor.js'
import { CoseError } from './errors.js'

export interface EncodeOptions {
  /** Sort map keys by their encoded bytes (length first, then bytewise: RFC 7049 §3.9 / CTAP2 canonical). */
  canonical?: boolean
}

class Writer {
  buf = new Uint8Array(1024)
  len = 0
  reserve(n: number): void {
    if (this.len + n <= this.buf.byteLength) return
    let size = this.buf.byteLength * 2
    while (size < this.len + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
  }
  byte(b: number): void {
    this.reserve(1)
    this.buf[this.len++] = b
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.byteLength)
    this.buf.set(b, this.len)
    this.len += b.byteLength
  }
  head(major: number, n: number | bigint): void {
    const m = major << 5
    if (typeof n === 'bigint' || n > 0xffffffff) {
      const b = BigInt(n)
      this.reserve(9)
      this.buf[this.len++] = m | 27
      new DataView(this.buf.buffer).setBigUint64(this.len, b)
      this.len += 8
    } else if (n < 24) this.byte(m | n)
    else if (n < 0x100) {
      this.byte(m | 24)
      this.byte(n)
    } else if (n < 0x10000) {
      this.reserve(3)
      this.buf[this.len++] = m | 25
      this.buf[this.len++] = n >> 8
      this.buf[this.len++] = n & 0xff
    } else {
      this.reserve(5)
      this.buf[this.len++] = m | 26
      new DataView(this.buf.buffer).setUint32(this.len, n)
      this.len += 4
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, CborValue> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype
}

function encodeNumber(w: Writer, v: number): void {
  if (Number.isInteger(v) && Number.isSafeInteger(v)) {
    if (v >= 0) w.head(0, v)
    else w.head(1, -1 - v)
  } else if (Math.fround(v) === v || Number.isNaN(v)) {
    w.reserve(5)
    w.buf[w.len++] = 0xfa
    new DataView(w.buf.buffer).setFloat32(w.len, v)
    w.len += 4
  } else {
    w.reserve(9)
    w.buf[w.len++] = 0xfb
    new DataView(w.buf.buffer).setFloat64(w.len, v)
    w.len += 8
  }
}

function encodeMap(w: Writer, v: Map<CborValue, CborValue> | Record<string, CborValue>, o: EncodeOptions, depth: number): void {
  const entries: [CborValue, CborValue][] = v instanceof Map ? [...v.entries()] : Object.entries(v)
  w.head(5, entries.length)
  if (!o.canonical) {
    for (const [k, x] of entries) {
      encodeInto(w, k, o, depth + 1)
      encodeInto(w, x, o, depth + 1)
    }
    return
  }
  const encoded = entries.map(([k, x]) => [encodeCbor(k, o), x] as const)
  encoded.sort(([a], [b]) => a.byteLength - b.byteLength || Buffer.compare(a, b))
  for (const [k, x] of encoded) {
    w.bytes(k)
    encodeInto(w, x, o, depth + 1)
  }
}

function encodeInto(w: Writer, v: CborValue | Record<string, CborValue>, o: EncodeOptions, depth: number): void {
  if (depth > 256) throw new CoseError('cose.cbor_too_deep', 'value nested too deeply')
  if (typeof v === 'number') encodeNumber(w, v)
  else if (typeof v === 'bigint') {
    if (v >= 0n) w.head(0, v)
    else w.head(1, -1n - v)
  } else if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8')
    w.head(3, b.byteLength)
    w.bytes(b)
  } else if (typeof v === 'boolean') w.byte(v ? 0xf5 : 0xf4)
  else if (v === null) w.byte(0xf6)
  else if (v === undefined) w.byte(0xf7)
  else if (v instanceof Uint8Array) {
    w.head(2, v.byteLength)
    w.bytes(v)
  } else if (Array.isArray(v)) {
    w.head(4, v.length)
    for (const x of v) encodeInto(w, x, o, depth + 1)
  } else if (v instanceof Tagged) {
    if (v.raw)
      w.bytes(v.raw) // as received, byte for byte
    else {
      w.head(6, v.tag)
      encodeInto(w, v.value, o, depth + 1)
    }
  } else if (v instanceof RawCbor) w.bytes(v.bytes)
  else if (v instanceof Simple) {
    if (v.value < 24) w.byte(0xe0 | v.value)
    else {
      w.byte(0xf8)
      w.byte(v.value)
    }
  } else if (v instanceof Map || isPlainObject(v)) encodeMap(w, v, o, depth)
  else throw new CoseError('cose.cbor_unsupported', 'value cannot be encoded as CBOR')
}

const NO_OPTIONS: EncodeOptions = {}
const SCRATCH_MAX = 64 * 1024
/** One reusable writer: encoding is synchronous; a nested call (canonical map keys) finds it taken and makes its own. */
let scratch: Writer | undefined = new Writer()

/** Encode a value as CBOR with shortest-form heads; plain objects and Maps become CBOR maps. */
export function encodeCbor(v: CborValue | Record<string, CborValue>, o: EncodeOptions = NO_OPTIONS): Uint8Array {
  const w = scratch ?? new Writer()
  scratch = undefined
  w.len = 0
  try {
    encodeInto(w, v, o, 0)
    return w.buf.slice(0, w.len)
  } finally {
    if (w.buf.byteLength <= SCRATCH_MAX) scratch = w
  }
}
