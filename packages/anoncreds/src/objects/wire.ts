/**
 * Shared wire helpers for AnonCreds objects: strict decimal big integers (length-bounded before any BigInt
 * conversion), AMCL group-element strings, bounded maps, and the `parseObject` entry point that turns untrusted
 * input (JSON text or a decoded value) into a typed object or an `AnonCredsError` with issue paths only.
 */
import { z } from 'zod'
import { AnonCredsError } from '../errors.js'
import { BIGINT_BITS, digitsForBits, LIMITS } from './limits.js'

const UNSIGNED = /^(0|[1-9][0-9]*)$/
const SIGNED = /^(0|-?[1-9][0-9]*)$/

/** Marks a custom issue as a size violation so `parseObject` reports `anoncreds.too_large`. */
const TOO_LARGE = { anoncreds: 'too_large' } as const

/**
 * An unsigned decimal big integer as serialized by anoncreds-clsignatures-rs (`BigNumber::to_dec`): ASCII digits,
 * no sign, no leading zeros except "0", at most `digitsForBits(bits)` digits. Stays a string; convert with
 * `decimalToBigInt` once parsed.
 */
export function zDecimal(bits: number) {
  return z.string().max(digitsForBits(bits)).regex(UNSIGNED)
}

/** A signed decimal (attribute encodings may be negative 32-bit integers, e.g. "-2147483648"; never "-0"). */
export function zSignedDecimal(bits: number) {
  return z
    .string()
    .max(digitsForBits(bits) + 1)
    .regex(SIGNED)
}

/** Nonces: decimal, at most 80 bits (LARGE_NONCE). The digit bound is checked first, then the value. */
export const zNonce = zDecimal(BIGINT_BITS.nonce).refine(
  // zod runs refinements after failed checks too: convert only what passed the digit/length checks
  (s) => !UNSIGNED.test(s) || s.length > digitsForBits(BIGINT_BITS.nonce) || BigInt(s) < 1n << BigInt(BIGINT_BITS.nonce),
  {
    message: 'nonce exceeds 80 bits',
    params: TOO_LARGE,
  },
)

/** Attribute encodings: a 32-bit signed integer or a 256-bit digest. */
export const zEncoded = zSignedDecimal(BIGINT_BITS.encoded)

/** Converts a decimal string that already passed `zDecimal`/`zSignedDecimal`. */
export function decimalToBigInt(s: string): bigint {
  if (!SIGNED.test(s)) throw new AnonCredsError('anoncreds.invalid_object', 'not a decimal integer')
  return BigInt(s)
}

/** A bounded string. */
export const zName = z.string().max(LIMITS.maxNameLength)
export const zRaw = z.string().max(LIMITS.maxRawValueLength)

/** u32 / u64 (as far as a JSON number is exact in JavaScript) / i32, as serde_json reads them. */
export const zU32 = z.number().int().min(0).max(0xffff_ffff)
export const zU64 = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
export const zI32 = z.number().int().min(-0x8000_0000).max(0x7fff_ffff)

/** A JSON object used as a map with at most `max` members (a `HashMap<String, T>` in anoncreds-rs). */
export function zMap<T extends z.ZodType>(value: T, max: number, key: z.ZodString = zName) {
  return z.record(key, value).superRefine((o, ctx) => {
    if (Object.keys(o).length > max) ctx.addIssue({ code: 'custom', message: 'too many members', params: TOO_LARGE })
  })
}

/**
 * AMCL (BN254) group elements as anoncreds-clsignatures-rs serializes them (`ECP::to_hex`, `FP12::to_hex`):
 * `components` pairs of "<excess> <hex>" separated by single spaces (PointG1: 3, PointG2: 6, Pair: 12).
 * Only the syntax is checked here (as `pre_validate_point` does); curve membership is the CL code's job.
 */
function zPoint(components: number) {
  const pair = '[1-9][0-9]{0,9} [0-9A-Fa-f]{1,64}'
  const re = new RegExp(`^${pair}(?: ${pair}){${components - 1}}$`)
  return z
    .string()
    .max(components * 76)
    .regex(re)
}
export const zPointG1 = zPoint(3)
export const zPointG2 = zPoint(6)
export const zPair = zPoint(12)
/** GroupOrderElement: `BIG::to_hex`, 64 hex digits (shorter accepted, as `BIG::from_hex` does). */
export const zGroupOrderElement = z
  .string()
  .max(64)
  .regex(/^[0-9A-Fa-f]{1,64}$/)

export type ParseOptions = { maxJsonBytes?: number }

/**
 * Counts values, nesting depth and the characters of all strings (member names included) iteratively (no
 * recursion), stopping as soon as a limit is passed. The character bound is the JSON text's byte bound: JSON text
 * within `maxChars` bytes never decodes to more string characters, so a decoded object can carry no more than
 * the same object given as text.
 */
function shapeTooLarge(value: unknown, maxChars: number): boolean {
  let nodes = 0
  let chars = 0
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number]
    if (++nodes > LIMITS.maxJsonNodes || d > LIMITS.maxJsonDepth) return true
    if (typeof v === 'string') chars += v.length
    else if (Array.isArray(v)) for (const child of v) stack.push([child, d + 1])
    else if (typeof v === 'object' && v !== null) {
      for (const [key, child] of Object.entries(v)) {
        chars += key.length
        stack.push([child, d + 1])
      }
    }
    if (chars > maxChars) return true
  }
  return false
}

const utf8 = new TextEncoder()

/**
 * Parses untrusted input against `schema`. A string is JSON text (size-limited in UTF-8 bytes, then parsed);
 * anything else is taken as an already-decoded JSON value. Errors never echo input: `details.issues` carries
 * paths and zod issue codes only.
 */
export function parseObject<S extends z.ZodType>(schema: S, input: unknown, what: string, opts?: ParseOptions): z.output<S> {
  const max = opts?.maxJsonBytes ?? LIMITS.maxJsonBytes
  let value = input
  if (typeof input === 'string') {
    // length counts UTF-16 units, each at most 3 UTF-8 bytes: a cheap early refusal before encoding
    if (input.length > max || utf8.encode(input).length > max) {
      throw new AnonCredsError('anoncreds.too_large', `${what}: JSON input exceeds ${max} bytes`, { details: { object: what } })
    }
    try {
      value = JSON.parse(input)
    } catch {
      throw new AnonCredsError('anoncreds.malformed', `${what}: invalid JSON`, { details: { object: what } })
    }
  }
  if (shapeTooLarge(value, max)) {
    throw new AnonCredsError('anoncreds.too_large', `${what}: too many values, too much text or nested too deeply`, {
      details: { object: what },
    })
  }
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => ({
    path: i.path.map(String),
    code: i.code,
    ...(isTooLarge(i) ? { tooLarge: true } : {}),
  }))
  const code = issues.some((i) => i.tooLarge) ? 'anoncreds.too_large' : 'anoncreds.invalid_object'
  const where = issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.code}`)
    .join('; ')
  throw new AnonCredsError(code, `${what}: invalid at ${where}`, { details: { object: what, issues } })
}

function isTooLarge(issue: z.core.$ZodIssue): boolean {
  // a size bound (string length, array length); not a value range (p_value) or a tuple's arity
  if (issue.code === 'too_big') return (issue.origin === 'string' || issue.origin === 'array') && Number(issue.maximum) >= 8
  if (issue.code === 'custom') return (issue.params as Record<string, unknown> | undefined)?.anoncreds === 'too_large'
  return false
}

/** Serializes a parsed object back to JSON text (member order as parsed; all big integers are strings already). */
export function serializeObject(value: unknown): string {
  return JSON.stringify(value)
}
