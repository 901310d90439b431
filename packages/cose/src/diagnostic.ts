import { Buffer } from 'node:buffer'
import { type CborValue, Simple, Tagged } from './cbor.js'

/** CBOR diagnostic notation (RFC 8949 §8), indented, with long byte strings shortened and embedded CBOR opened. */
export function cborDiagnostic(
  v: CborValue,
  o: { indent?: number; maxBytes?: number; decodeEmbedded?: (b: Uint8Array) => CborValue } = {},
  depth = 0,
): string {
  const pad = '  '.repeat(depth + 1)
  const end = '  '.repeat(depth)
  const max = o.maxBytes ?? 32
  if (v instanceof Uint8Array) {
    const hex = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')
    return v.byteLength > max ? `h'${hex.slice(0, max * 2)}…' (${v.byteLength} bytes)` : `h'${hex}'`
  }
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'bigint') return v.toString()
  if (v === undefined) return 'undefined'
  if (v instanceof Simple) return `simple(${v.value})`
  if (v instanceof Tagged) {
    if (v.tag === 24 && v.value instanceof Uint8Array && o.decodeEmbedded) {
      try {
        return `24(<< ${cborDiagnostic(o.decodeEmbedded(v.value), o, depth)} >>)`
      } catch {
        // not CBOR inside: show the bytes
      }
    }
    return `${v.tag}(${cborDiagnostic(v.value, o, depth)})`
  }
  if (Array.isArray(v))
    return v.length === 0 ? '[]' : `[\n${v.map((x) => pad + cborDiagnostic(x, o, depth + 1)).join(',\n')}\n${end}]`
  if (v instanceof Map) {
    if (v.size === 0) return '{}'
    return `{\n${[...v].map(([k, x]) => `${pad}${cborDiagnostic(k, o, depth + 1)}: ${cborDiagnostic(x, o, depth + 1)}`).join(',\n')}\n${end}}`
  }
  return String(v)
}
