import { b64uDecode, b64uEncode, type JsonValue } from '@bonafide/core'
import { type CborValue, decodeCbor, Tagged } from '@bonafide/cose'
import { MdocError } from './errors.js'

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/
// ISO/IEC 18013-5 tdate: RFC 3339 date-time without fractional seconds, in UTC ('Z'), as `tdate()` emits.
const TDATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/**
 * Typed element values in JSON. Plain JSON cannot say "bytes" or "tdate", so issuer claims (and
 * exact views of issued elements) may use an object with exactly one member named after the CDDL
 * type, as ISO/IEC 18013-5 §7.2.1 Table 5 spells it (`$` marks the member as a type, not a name:
 * data element identifiers and map keys of the mDL and PID rulebooks are `[a-z0-9_]`):
 *
 * | JSON                                    | CBOR element value                              |
 * | --------------------------------------- | ----------------------------------------------- |
 * | `{ "$bstr": "<base64url, no padding>" }` | bstr (`portrait`, `signature_usual_mark`, …)   |
 * | `{ "$full-date": "YYYY-MM-DD" }`        | full-date, tag 1004 (RFC 8943)                  |
 * | `{ "$tdate": "YYYY-MM-DDTHH:MM:SSZ" }`  | tdate, tag 0 (no fractional seconds, UTC)       |
 * | `{ "$tstr": "…" }`                       | tstr, even when it looks like a date            |
 *
 * base64url because every other byte string on our JSON surfaces (and `toJsonValue`) uses it.
 * A marker object with any other member, or a malformed value, is refused (`mdoc.structure_invalid`,
 * `details.path`), never read as a map. Everything else keeps its plain meaning (`toElementValue`).
 * (So a CBOR map whose only key is a marker name has no JSON form; no defined element has one.)
 */
export const TYPED_ELEMENT_MARKERS = ['$bstr', '$full-date', '$tdate', '$tstr'] as const
export type TypedElementMarker = (typeof TYPED_ELEMENT_MARKERS)[number]
const MARKERS: ReadonlySet<string> = new Set(TYPED_ELEMENT_MARKERS)

function isCalendarDate(s: string): boolean {
  // Round-trips through Date only for real days (no 2023-02-30, no month 13).
  const t = Date.parse(`${s.slice(0, 10)}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s.slice(0, 10)
}

function badTyped(path: string, message: string): MdocError {
  return new MdocError('mdoc.structure_invalid', `element value at ${path || '/'}: ${message}`, { details: { path } })
}

function typedValue(o: Record<string, unknown>, path: string): CborValue | undefined {
  const keys = Object.keys(o)
  const marker = keys.find((k) => MARKERS.has(k))
  if (marker === undefined) return undefined
  if (keys.length !== 1) throw badTyped(path, `${marker} must be the only member`)
  const s = o[marker]
  if (typeof s !== 'string') throw badTyped(path, `${marker} must be a string`)
  if (marker === '$tstr') return s
  if (marker === '$bstr') {
    try {
      return b64uDecode(s)
    } catch {
      throw badTyped(path, '$bstr must be canonical base64url without padding')
    }
  }
  if (marker === '$full-date') {
    if (!FULL_DATE.test(s) || !isCalendarDate(s)) throw badTyped(path, '$full-date must be a date YYYY-MM-DD')
    return new Tagged(1004, s)
  }
  if (!TDATE.test(s) || !isCalendarDate(s) || Number.isNaN(Date.parse(s)))
    throw badTyped(path, '$tdate must be YYYY-MM-DDTHH:MM:SSZ (UTC, no fractional seconds)')
  return new Tagged(0, s)
}

const ptr = (path: string, k: string | number) => `${path}/${String(k).replaceAll('~', '~0').replaceAll('/', '~1')}`

function elementValueAt(v: JsonValue, path: string): CborValue {
  if (typeof v === 'string' && FULL_DATE.test(v)) return new Tagged(1004, v)
  if (Array.isArray(v)) return v.map((x, i) => elementValueAt(x, ptr(path, i)))
  if (v !== null && typeof v === 'object') {
    const typed = typedValue(v, path)
    if (typed !== undefined) return typed
    const m = new Map<CborValue, CborValue>()
    for (const [k, x] of Object.entries(v)) m.set(k, elementValueAt(x as JsonValue, ptr(path, k)))
    return m
  }
  return v
}

/**
 * JSON claim value → CBOR element value: `YYYY-MM-DD` strings become full-date (tag 1004, RFC 8943),
 * objects become maps, and the typed forms of `TYPED_ELEMENT_MARKERS` become exactly their type.
 * @example toElementValue({ $bstr: 'AAEC' }) // Uint8Array [0, 1, 2]
 */
export function toElementValue(v: JsonValue): CborValue {
  return elementValueAt(v, '')
}

/**
 * All elements of issuer claims `{ namespace: { elementIdentifier: value } }` as CBOR element values
 * (`toElementValue` each), e.g. before a doctype check (@bonafide/schema `validateMdocElements`);
 * a malformed typed value names its JSON Pointer `/<namespace>/<element>[/…]` in `details.path`.
 * @example validateMdocElements(MDL_DOCTYPE, toElementValues(claims))
 */
export function toElementValues(
  claims: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>,
): Record<string, Record<string, CborValue>> {
  const out: Record<string, Record<string, CborValue>> = {}
  for (const [ns, elements] of Object.entries(claims)) {
    if (elements === null || typeof elements !== 'object' || Array.isArray(elements))
      throw badTyped(ptr('', ns), 'a namespace must be an object of elements')
    const values: Record<string, CborValue> = {}
    for (const [name, v] of Object.entries(elements)) {
      const value = elementValueAt(v, ptr(ptr('', ns), name))
      Object.defineProperty(values, name, { value, enumerable: true, writable: true, configurable: true })
    }
    Object.defineProperty(out, ns, { value: values, enumerable: true, writable: true, configurable: true })
  }
  return out
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

/**
 * CBOR element value → typed JSON (the inverse of `toElementValue`): bstr as `{ $bstr }`, tag 1004
 * as `{ "$full-date" }`, tag 0 as `{ $tdate }`, and a text string that `toElementValue` would read
 * as a date as `{ $tstr }`, so that `toElementValue(toTypedJsonValue(v))` re-encodes the same CBOR.
 * Other values as `toJsonValue` (bigints as strings, other tags unwrapped: not reversible).
 * `toJsonValue` stays the view for DCQL `values` matching and display, which compare plain strings.
 * @example toTypedJsonValue(new Tagged(1004, '1964-08-12')) // { '$full-date': '1964-08-12' }
 */
export function toTypedJsonValue(v: CborValue): JsonValue {
  if (v instanceof Uint8Array) return { $bstr: b64uEncode(v) }
  if (v instanceof Tagged && typeof v.value === 'string') {
    if (v.tag === 1004) return { '$full-date': v.value }
    if (v.tag === 0) return { $tdate: v.value }
  }
  if (typeof v === 'string') return FULL_DATE.test(v) ? { $tstr: v } : v
  if (Array.isArray(v)) return v.map(toTypedJsonValue)
  if (v instanceof Map) {
    const o: Record<string, JsonValue> = {}
    for (const [k, x] of v)
      Object.defineProperty(o, String(k), { value: toTypedJsonValue(x), enumerable: true, writable: true, configurable: true })
    return o
  }
  return toJsonValue(v)
}

function cborMap(v: unknown, what: string): Map<CborValue, CborValue> {
  if (!(v instanceof Map)) throw new MdocError('mdoc.structure_invalid', `${what} must be a map`)
  return v
}

/**
 * The element values of an IssuerSigned (`nameSpaces`), as CBOR, e.g. for a doctype check
 * (@bonafide/schema `validateMdocElements`) or `toTypedJsonValue`. Decoding only: call
 * `verifyIssuerSigned` first, which checks the signature and every element's digest.
 */
export function issuerSignedElementValues(input: Uint8Array | CborValue): Record<string, Record<string, CborValue>> {
  const root = cborMap(input instanceof Uint8Array ? decodeCbor(input, { maxBytes: 1 << 20 }) : input, 'IssuerSigned')
  const nameSpaces = root.get('nameSpaces') === undefined ? new Map() : cborMap(root.get('nameSpaces'), 'nameSpaces')
  const out: Record<string, Record<string, CborValue>> = {}
  for (const [ns, items] of nameSpaces) {
    if (typeof ns !== 'string' || !Array.isArray(items))
      throw new MdocError('mdoc.structure_invalid', 'nameSpaces must map names to item arrays')
    const elements: Record<string, CborValue> = {}
    for (const raw of items) {
      if (!(raw instanceof Tagged) || raw.tag !== 24 || !(raw.value instanceof Uint8Array))
        throw new MdocError('mdoc.structure_invalid', 'IssuerSignedItemBytes must be tag-24 embedded CBOR')
      const item = cborMap(decodeCbor(raw.value, { maxDepth: 32 }), 'IssuerSignedItem')
      const name = item.get('elementIdentifier')
      if (typeof name !== 'string' || !item.has('elementValue'))
        throw new MdocError('mdoc.structure_invalid', 'IssuerSignedItem is malformed')
      const value = item.get('elementValue') as CborValue
      Object.defineProperty(elements, name, { value, enumerable: true, writable: true, configurable: true })
    }
    Object.defineProperty(out, ns, { value: elements, enumerable: true, writable: true, configurable: true })
  }
  return out
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
