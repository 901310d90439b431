import { hasOwn, isJsonObject, type JsonObject, type JsonValue } from '@bonafide/core'
import { PexError } from './errors.js'

/** One compiled keyword: true when the value satisfies it. */
export type Check = (v: JsonValue) => boolean

/** What a keyword compiler gets: its value, the whole schema object, and a way to compile subschemas. */
export interface KeywordInput {
  readonly v: JsonValue
  readonly schema: JsonObject
  readonly where: string
  readonly ignoreUnknown: boolean
  sub(x: JsonValue | undefined, key: string): Check
}

export const FILTER_VALUE_LIMITS = { patternLength: 1000, stringLength: 10_000 } as const

export const bad = (where: string, what: string): never => {
  throw new PexError('openid4vp.pex_filter_unsupported', `filter ${where || '(root)'}: ${what}`, { details: { where } })
}

export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i] as JsonValue))
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => hasOwn(b, k) && jsonEqual(a[k] as JsonValue, b[k] as JsonValue))
  }
  return false
}

function hasType(v: JsonValue, t: string): boolean {
  if (t === 'integer') return typeof v === 'number' && Number.isInteger(v)
  if (t === 'null') return v === null
  if (t === 'array') return Array.isArray(v)
  if (t === 'object') return isJsonObject(v)
  return typeof v === t
}

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'])
const FORMATS = new Set(['date', 'date-time'])
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/

/** RFC 3339 full-date / date-time, with calendar checks; a comparable number, or undefined. */
export function parseRfc3339(format: string, s: string): number | undefined {
  const m = (format === 'date' ? DATE : DATE_TIME).exec(s)
  if (!m) return undefined
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined
  if (format === 'date') return Date.UTC(y, mo - 1, d)
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return undefined
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined
  const t = Date.parse(s.toUpperCase().replace(':60', ':59'))
  return Number.isNaN(t) ? undefined : t
}

/**
 * Refuse nested unbounded quantifiers such as `(a+)+` or `(\w*)*`, the classic catastrophic
 * backtracking shapes (PEX 2.1.1 §Regular Expression Security Considerations). Bounded repeats
 * like `([0-9a-z]{4}\s?){4}` in the specification's own examples stay allowed.
 */
function starHeightOk(p: string): boolean {
  const stack: boolean[] = [false]
  const unboundedAt = (i: number) => p[i] === '*' || p[i] === '+' || /^\{\d+,\}/.test(p.slice(i))
  for (let i = 0; i < p.length; i++) {
    const c = p[i]
    if (c === '\\') i++
    else if (c === '[') {
      for (i++; i < p.length && p[i] !== ']'; i++) if (p[i] === '\\') i++
    } else if (c === '(') stack.push(false)
    else if (c === ')' && stack.length > 1) {
      const inner = stack.pop() as boolean
      const quantified = unboundedAt(i + 1)
      if (inner && quantified) return false
      stack[stack.length - 1] ||= inner || quantified
    } else if (unboundedAt(i)) stack[stack.length - 1] = true
  }
  return true
}

function compilePattern(p: JsonValue, where: string): RegExp {
  if (typeof p !== 'string' || p.length > FILTER_VALUE_LIMITS.patternLength) return bad(where, 'pattern must be a bounded string')
  if (!starHeightOk(p)) return bad(where, 'pattern nests unbounded quantifiers')
  try {
    return new RegExp(p, 'u')
  } catch {
    try {
      // Patterns written for non-unicode engines (e.g. a literal `{10-12}`) still mean something there.
      return new RegExp(p)
    } catch {
      return bad(where, 'pattern is not a valid regular expression')
    }
  }
}

const num = (i: KeywordInput, k: string): number =>
  typeof i.v === 'number' && Number.isFinite(i.v) ? i.v : bad(i.where, `${k} must be a number`)
const count = (i: KeywordInput, k: string): number =>
  typeof i.v === 'number' && Number.isInteger(i.v) && i.v >= 0 ? i.v : bad(i.where, `${k} must be a non-negative integer`)
const subs = (i: KeywordInput, k: string): Check[] =>
  Array.isArray(i.v) && i.v.length > 0
    ? i.v.map((y, n) => i.sub(y, `${k}[${n}]`))
    : bad(i.where, `${k} must be a non-empty array of schemas`)
const str =
  (f: (s: string) => boolean): Check =>
  (x) =>
    typeof x !== 'string' || f(x)
const numeric =
  (f: (n: number) => boolean): Check =>
  (x) =>
    typeof x !== 'number' || f(x)
const arr =
  (f: (a: JsonValue[]) => boolean): Check =>
  (x) =>
    !Array.isArray(x) || f(x)
const obj =
  (f: (o: JsonObject) => boolean): Check =>
  (x) =>
    !isJsonObject(x) || f(x)

function formatBound(i: KeywordInput, k: string, cmp: (t: number, b: number) => boolean): Check {
  const f = i.schema.format
  const bound = typeof f === 'string' && FORMATS.has(f) && typeof i.v === 'string' ? parseRfc3339(f, i.v) : undefined
  if (bound === undefined) return bad(i.where, `${k} needs a date or date-time format and a bound of that format`)
  return str((s) => {
    const t = parseRfc3339(f as string, s)
    return t !== undefined && cmp(t, bound)
  })
}

/** The supported keywords of JSON Schema draft-07 (and ajv-formats' formatMinimum/…), one compiler each. */
export const KEYWORDS: Readonly<Record<string, (i: KeywordInput) => Check | undefined>> = {
  type: (i) => {
    const ts = Array.isArray(i.v) ? i.v : [i.v]
    if (ts.length === 0 || ts.some((t) => typeof t !== 'string' || !TYPES.has(t))) bad(i.where, 'type is not a JSON Schema type')
    return (x) => ts.some((t) => hasType(x, t as string))
  },
  const: (i) => (x) => jsonEqual(x, i.v),
  enum: (i) => {
    const vs = Array.isArray(i.v) && i.v.length > 0 ? i.v : bad(i.where, 'enum must be a non-empty array')
    return (x) => vs.some((e) => jsonEqual(x, e))
  },
  pattern: (i) => {
    const re = compilePattern(i.v, i.where)
    return str((s) => s.length <= FILTER_VALUE_LIMITS.stringLength && re.test(s))
  },
  minLength: (i) =>
    str(
      (
        (n) => (s: string) =>
          [...s].length >= n
      )(count(i, 'minLength')),
    ),
  maxLength: (i) =>
    str(
      (
        (n) => (s: string) =>
          [...s].length <= n
      )(count(i, 'maxLength')),
    ),
  minimum: (i) =>
    numeric(
      (
        (b) => (n: number) =>
          n >= b
      )(num(i, 'minimum')),
    ),
  maximum: (i) =>
    numeric(
      (
        (b) => (n: number) =>
          n <= b
      )(num(i, 'maximum')),
    ),
  exclusiveMinimum: (i) =>
    numeric(
      (
        (b) => (n: number) =>
          n > b
      )(num(i, 'exclusiveMinimum')),
    ),
  exclusiveMaximum: (i) =>
    numeric(
      (
        (b) => (n: number) =>
          n < b
      )(num(i, 'exclusiveMaximum')),
    ),
  multipleOf: (i) => {
    const m = num(i, 'multipleOf')
    if (m <= 0) bad(i.where, 'multipleOf must be positive')
    return numeric((n) => Number.isInteger(n / m))
  },
  format: (i) => {
    if (typeof i.v === 'string' && !FORMATS.has(i.v) && i.ignoreUnknown) return undefined
    if (typeof i.v !== 'string' || !FORMATS.has(i.v)) return bad(i.where, 'only the date and date-time formats are supported')
    const f = i.v
    return str((s) => parseRfc3339(f, s) !== undefined)
  },
  formatMinimum: (i) => formatBound(i, 'formatMinimum', (t, b) => t >= b),
  formatMaximum: (i) => formatBound(i, 'formatMaximum', (t, b) => t <= b),
  formatExclusiveMinimum: (i) => formatBound(i, 'formatExclusiveMinimum', (t, b) => t > b),
  formatExclusiveMaximum: (i) => formatBound(i, 'formatExclusiveMaximum', (t, b) => t < b),
  items: (i) => {
    if (Array.isArray(i.v)) bad(i.where, 'tuple items are not supported')
    const f = i.sub(i.v, 'items')
    return arr((a) => a.every(f))
  },
  contains: (i) => {
    const f = i.sub(i.v, 'contains')
    return arr((a) => a.some(f))
  },
  minItems: (i) =>
    arr(
      (
        (n) => (a: JsonValue[]) =>
          a.length >= n
      )(count(i, 'minItems')),
    ),
  maxItems: (i) =>
    arr(
      (
        (n) => (a: JsonValue[]) =>
          a.length <= n
      )(count(i, 'maxItems')),
    ),
  uniqueItems: (i) => {
    if (typeof i.v !== 'boolean') bad(i.where, 'uniqueItems must be a boolean')
    return arr((a) => !i.v || a.every((x, n) => a.findIndex((y) => jsonEqual(x, y)) === n))
  },
  properties: (i) => {
    const ps = isJsonObject(i.v) ? i.v : bad(i.where, 'properties must be an object')
    const fs = Object.keys(ps).map((p) => [p, i.sub(ps[p], `properties.${p}`)] as const)
    return obj((o) => fs.every(([p, f]) => !hasOwn(o, p) || f(o[p] as JsonValue)))
  },
  additionalProperties: (i) => {
    const f = i.sub(i.v, 'additionalProperties')
    const known = new Set(isJsonObject(i.schema.properties) ? Object.keys(i.schema.properties) : [])
    return obj((o) => Object.keys(o).every((p) => known.has(p) || f(o[p] as JsonValue)))
  },
  required: (i) => {
    const rs =
      Array.isArray(i.v) && i.v.every((p) => typeof p === 'string')
        ? (i.v as string[])
        : bad(i.where, 'required must be an array of strings')
    return obj((o) => rs.every((p) => hasOwn(o, p)))
  },
  not: (i) => {
    const f = i.sub(i.v, 'not')
    return (x) => !f(x)
  },
  allOf: (i) => {
    const fs = subs(i, 'allOf')
    return (x) => fs.every((f) => f(x))
  },
  anyOf: (i) => {
    const fs = subs(i, 'anyOf')
    return (x) => fs.some((f) => f(x))
  },
  oneOf: (i) => {
    const fs = subs(i, 'oneOf')
    return (x) => fs.filter((f) => f(x)).length === 1
  },
}

/** Keywords that only annotate (and `$defs`/`definitions`, reached through `$ref`). */
export const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  '$defs',
  'definitions',
])
