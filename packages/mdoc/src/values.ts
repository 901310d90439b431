import { b64uEncode, type JsonValue } from '@bonafide/core'
import { type CborValue, Tagged } from '@bonafide/cose'

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/

/** JSON claim value → CBOR element value: `YYYY-MM-DD` strings become full-date (tag 1004, RFC 8943). */
export function toElementValue(v: JsonValue): CborValue {
  if (typeof v === 'string' && FULL_DATE.test(v)) return new Tagged(1004, v)
  if (Array.isArray(v)) return v.map(toElementValue)
  if (v !== null && typeof v === 'object') {
    const m = new Map<CborValue, CborValue>()
    for (const [k, x] of Object.entries(v)) m.set(k, toElementValue(x as JsonValue))
    return m
  }
  return v
}

/** CBOR element value → JSON-friendly: dates as strings, bytes as base64url, maps as objects. */
export function toJsonValue(v: CborValue): JsonValue {
  if (v instanceof Uint8Array) return b64uEncode(v)
  if (v instanceof Tagged) return v.tag === 0 || v.tag === 1004 || v.tag === 1 ? toJsonValue(v.value) : toJsonValue(v.value)
  if (Array.isArray(v)) return v.map(toJsonValue)
  if (v instanceof Map) {
    const o: Record<string, JsonValue> = {}
    for (const [k, x] of v)
      Object.defineProperty(o, String(k), { value: toJsonValue(x), enumerable: true, writable: true, configurable: true })
    return o
  }
  if (typeof v === 'bigint') return v.toString()
  if (v === undefined) return null
  if (typeof v === 'object' && v !== null) return null
  return v
}

/** tdate (tag 0) without fractional seconds, as ISO 18013-5 §7.1 requires. */
export function tdate(ms: number): Tagged {
  return new Tagged(0, new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'))
}

export function readTdate(v: unknown): number {
  const s = v instanceof Tagged && v.tag === 0 ? v.value : v
  const t = typeof s === 'string' ? Date.parse(s) : Number.NaN
  if (Number.isNaN(t)) throw new Error('not a tdate')
  return t
}
