import { Buffer } from 'node:buffer'
import { timingSafeEqual } from 'node:crypto'
import { CoreError } from './errors.js'

const B64URL = /^[A-Za-z0-9_-]*$/
const B64URL_VALUE = new Uint8Array(128)
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries())
  B64URL_VALUE[c.charCodeAt(0)] = i

/** Encode bytes or a UTF-8 string as unpadded base64url (RFC 4648 §5). */
export function b64uEncode(data: Uint8Array | string): string {
  return (
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  ).toString('base64url')
}

/**
 * Strict base64url decoding: only the URL-safe alphabet, no padding, no whitespace,
 * and no impossible lengths (len % 4 === 1) or non-zero trailing bits.
 */
export function b64uDecode(input: string, code: string = 'core.base64url_invalid'): Uint8Array {
  if (typeof input !== 'string' || input.length % 4 === 1 || !B64URL.test(input)) {
    throw new CoreError(code as 'core.base64url_invalid', 'invalid base64url')
  }
  const out = Buffer.from(input, 'base64url')
  // Canonical check: the unused low bits of the last character must be zero (RFC 4648 §3.5).
  const rem = input.length % 4
  if (rem !== 0) {
    const v = B64URL_VALUE[input.charCodeAt(input.length - 1)] as number
    if ((v & (rem === 2 ? 0x0f : 0x03)) !== 0) throw new CoreError(code as 'core.base64url_invalid', 'non-canonical base64url')
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

/** Decode base64url to a UTF-8 string, strictly. */
export function b64uDecodeUtf8(input: string, code?: string): string {
  const bytes = b64uDecode(input, code)
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
}

export function utf8Encode(s: string): Uint8Array {
  const b = Buffer.from(s, 'utf8')
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

export function utf8Decode(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8')
}

export function hexEncode(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
}

export function hexDecode(s: string): Uint8Array {
  const clean = s.trim()
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new CoreError('core.input_invalid', 'invalid hex')
  const b = Buffer.from(clean, 'hex')
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const b = Buffer.concat(parts)
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

/** Constant-time equality; false for different lengths. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}

/** Constant-time string equality (for nonces, hashes, codes). */
export function constantTimeEqual(a: string, b: string): boolean {
  return bytesEqual(utf8Encode(a), utf8Encode(b))
}
