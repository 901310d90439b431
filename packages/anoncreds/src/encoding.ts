/**
 * Attribute encoding (AnonCreds v1 §Encoding Attribute Data), exactly as anoncreds-rs
 * `encode_credential_attribute` (src/services/helpers.rs):
 *
 * - a string Rust's `str::parse::<i32>()` accepts is encoded as that integer in decimal: an optional `+` or `-`,
 *   then ASCII digits, value within [-2^31, 2^31 - 1]. So "01" → "1", "+5" → "5", "-0" → "0"; but " 5", "5 ", "",
 *   "1.0", "0x10", "1e3", "1_000", "2147483648" are not integers and are hashed;
 * - every other string: SHA-256 of its UTF-8 bytes, read as a big-endian unsigned integer, in decimal.
 *
 * Non-string raw values follow the spec's rules (taken from Aries RFC 0592 and ACA-Py / Credo, whose credentials
 * anoncreds-rs verifies): `null` is the string "None"; `true`/`false` are the integers 1/0 (Python's bool is an
 * int); a JavaScript integer within i32 is itself. Other numbers are refused: a float or an integer beyond 2^53
 * has no single decimal spelling shared with Python (`1.0`, `1e-07`), so pass the raw string you put in the
 * credential instead.
 */
import { createHash } from 'node:crypto'
import { AnonCredsError } from './errors.js'

const I32_MIN = -0x8000_0000
const I32_MAX = 0x7fff_ffff
const RUST_I32 = /^[+-]?[0-9]+$/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** The i32 a Rust `str::parse::<i32>()` returns for `s`, or undefined where it fails. */
function parseRustI32(s: string): number | undefined {
  if (!RUST_I32.test(s)) return undefined
  const negative = s[0] === '-'
  const digits = s.replace(/^[+-]/, '').replace(/^0+(?=.)/, '')
  if (digits.length > 10) return undefined
  const n = Number(digits) * (negative ? -1 : 1)
  if (n < I32_MIN || n > I32_MAX) return undefined
  return n === 0 ? 0 : n // normalizes -0
}

function sha256Decimal(s: string): string {
  const digest = createHash('sha256').update(s, 'utf8').digest('hex')
  return BigInt(`0x${digest}`).toString(10)
}

/**
 * Encodes a raw attribute value into the decimal string the issuer signs.
 * @example encodeAttribute('87121') // '87121'
 * @example encodeAttribute('SLC') // '101327353979588246869873249766058188995681113722618593621043638294296500696424'
 */
export function encodeAttribute(raw: string | number | boolean | null): string {
  if (raw === null) return sha256Decimal('None')
  if (typeof raw === 'boolean') return raw ? '1' : '0'
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= I32_MIN && raw <= I32_MAX) return String(raw === 0 ? 0 : raw)
    if (Number.isSafeInteger(raw)) return sha256Decimal(String(raw))
    throw new AnonCredsError(
      'anoncreds.invalid_object',
      'attribute value: only integers up to 2^53 can be encoded from a number',
      {
        details: { type: 'number' },
      },
    )
  }
  if (typeof raw !== 'string') {
    throw new AnonCredsError('anoncreds.invalid_object', 'attribute value must be a string, number, boolean or null', {
      details: { type: typeof raw },
    })
  }
  // A Rust &str is always valid UTF-8; a lone surrogate has no UTF-8 form (Node would hash U+FFFD instead)
  if (LONE_SURROGATE.test(raw)) {
    throw new AnonCredsError('anoncreds.invalid_object', 'attribute value is not well-formed Unicode', {
      details: { type: 'string' },
    })
  }
  const i = parseRustI32(raw)
  return i !== undefined ? String(i) : sha256Decimal(raw)
}

/** Whether `encoded` is the encoding of `raw` (use when checking issuer- or holder-supplied `encoded` values). */
export function isEncodingOf(raw: string, encoded: string): boolean {
  return encodeAttribute(raw) === encoded
}
