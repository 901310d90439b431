import { hasOwn, isJsonObject, type JsonObject, type JsonValue } from '@bonafide/core'
import { PexError } from './errors.js'

/** A compiled `filter`: true when the value satisfies it. */
export type FilterPredicate = (value: JsonValue) => boolean

/**
 * Evaluates `constraints.fields[].filter` (JSON Schema draft-07, PEX 2.1.1 §JSON Schema). Inject
 * your own (e.g. Ajv with ajv-formats) through `filterEvaluator` options; `compile` must throw for
 * a schema it cannot evaluate faithfully rather than ignore keywords.
 */
export interface FilterEvaluator {
  compile(schema: JsonValue): FilterPredicate
}

export const FILTER_LIMITS = { nodes: 512, depth: 32, patternLength: 1000, stringLength: 10_000, evalDepth: 64 } as const

/** Keywords that only annotate (and `$defs`/`definitions`, reached through `$ref`). */
const ANNOTATIONS = new Set([
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
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'])
const FORMATS = new Set(['date', 'date-time'])

const bad = (where: string, what: string): never => {
  throw new PexError('openid4vp.pex_filter_unsupported', `filter ${where}: ${what}`, { details: { where } })
}

function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i] as JsonValue))
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => hasOwn(b, k) && jsonEqual(a[k] as JsonValue, b[k] as JsonValue))
  }
  return false
}

function typeOf(v: JsonValue): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

function hasType(v: JsonValue, t: string): boolean {
  if (t === 'integer') return typeof v === 'number' && Number.isInteger(v)
  return typeOf(v) === t
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/

/** RFC 3339 full-date / date-time, with calendar checks; returns a comparable number or undefined. */
export function parseRfc3339(format: string, s: string): number | undefined {
  const m = (format === 'date' ? DATE : DATE_TIME).exec(s)
  if (!m) return undefined
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  if (mo < 1 || mo > 12 || d < 1 || d > days) return undefined
  if (format === 'date') return Date.UTC(y, mo - 1, d)
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return undefined
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined
  const t = Date.parse(s.toUpperCase().replace(':60', ':59'))
  return Number.isNaN(t) ? undefined : t
}

function compilePattern(p: JsonValue, where: string): RegExp {
  if (typeof p !== 'string' || p.length > FILTER_LIMITS.patternLength) return bad(where, 'pattern must be a bounded string')
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

const num = (v: JsonValue | undefined, where: string, k: string): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : bad(where, `${k} must be a number`)
const count = (v: JsonValue | undefined, where: string, k: string): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : bad(where, `${k} must be a non-negative integer`)

interface Ctx {
  root: JsonValue
  ignoreUnknown: boolean
  nodes: number
  evalDepth: number
  refs: Map<string, FilterPredicate>
}

type Check = (v: JsonValue) => boolean

function resolveRef(ref: JsonValue, ctx: Ctx, where: string): FilterPredicate {
  if (typeof ref !== 'string') return bad(where, '$ref must be a string')
  if (ref === '#') return (v) => (ctx.refs.get('#') as FilterPredicate)(v)
  const m = /^#\/(\$defs|definitions)\/([A-Za-z0-9_.-]+)$/.exec(ref)
  if (!m || !isJsonObject(ctx.root)) return bad(where, 'only local #/$defs/… and #/definitions/… references are supported')
  const defs = (ctx.root as JsonObject)[m[1] as string]
  if (!isJsonObject(defs) || !hasOwn(defs, m[2] as string)) return bad(where, '$ref target does not exist')
  if (!ctx.refs.has(ref)) {
    let fn: FilterPredicate = () => false
    ctx.refs.set(ref, (v) => fn(v)) // placeholder first: references may be recursive
    fn = compileNode(defs[m[2] as string] as JsonValue, ctx, ref, 0)
  }
  return ctx.refs.get(ref) as FilterPredicate
}

function compileKeywords(s: JsonObject, ctx: Ctx, where: string, depth: number): Check[] {
  const checks: Check[] = []
  const sub = (x: JsonValue | undefined, k: string) => compileNode(x as JsonValue, ctx, `${where}.${k}`, depth + 1)
  const subs = (x: JsonValue | undefined, k: string) => {
    if (!Array.isArray(x) || x.length === 0) return bad(where, `${k} must be a non-empty array of schemas`)
    return x.map((y, i) => sub(y, `${k}[${i}]`))
  }
  for (const k of Object.keys(s)) {
    const v = s[k] as JsonValue
    switch (k) {
      case 'type': {
        const ts = Array.isArray(v) ? v : [v]
        if (ts.length === 0 || ts.some((t) => typeof t !== 'string' || !TYPES.has(t)))
          bad(where, 'type is not a JSON Schema type')
        checks.push((x) => ts.some((t) => hasType(x, t as string)))
        break
      }
      case 'const':
        checks.push((x) => jsonEqual(x, v))
        break
      case 'enum':
        if (!Array.isArray(v) || v.length === 0) bad(where, 'enum must be a non-empty array')
        checks.push((x) => (v as JsonValue[]).some((e) => jsonEqual(x, e)))
        break
      case 'pattern': {
        const re = compilePattern(v, where)
        checks.push((x) => typeof x !== 'string' || (x.length <= FILTER_LIMITS.stringLength && re.test(x)))
        break
      }
      case 'minLength':
      case 'maxLength': {
        const n = count(v, where, k)
        checks.push((x) => typeof x !== 'string' || (k === 'minLength' ? [...x].length >= n : [...x].length <= n))
        break
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const n = num(v, where, k)
        const cmp = {
          minimum: (x: number) => x >= n,
          maximum: (x: number) => x <= n,
          exclusiveMinimum: (x: number) => x > n,
          exclusiveMaximum: (x: number) => x < n,
        }[k]
        checks.push((x) => typeof x !== 'number' || cmp(x))
        break
      }
      case 'multipleOf': {
        const n = num(v, where, k)
        if (n <= 0) bad(where, 'multipleOf must be positive')
        checks.push((x) => typeof x !== 'number' || Number.isInteger(x / n))
        break
      }
      case 'format':
        if (typeof v === 'string' && !FORMATS.has(v) && ctx.ignoreUnknown) break
        if (typeof v !== 'string' || !FORMATS.has(v)) bad(where, 'only the date and date-time formats are supported')
        checks.push((x) => typeof x !== 'string' || parseRfc3339(v as string, x) !== undefined)
        break
      case 'formatMinimum':
      case 'formatMaximum':
      case 'formatExclusiveMinimum':
      case 'formatExclusiveMaximum': {
        const f = s.format
        const bound = typeof f === 'string' && FORMATS.has(f) && typeof v === 'string' ? parseRfc3339(f, v) : undefined
        if (bound === undefined) return bad(where, `${k} needs a date or date-time format and a bound of that format`)
        const op = k.replace('format', '')
        checks.push((x) => {
          if (typeof x !== 'string') return true
          const t = parseRfc3339(f as string, x)
          if (t === undefined) return false
          return (
            { Minimum: t >= bound, Maximum: t <= bound, ExclusiveMinimum: t > bound, ExclusiveMaximum: t < bound }[op] === true
          )
        })
        break
      }
      case 'items': {
        if (Array.isArray(v)) bad(where, 'tuple items are not supported')
        const f = sub(v, k)
        checks.push((x) => !Array.isArray(x) || x.every(f))
        break
      }
      case 'contains': {
        const f = sub(v, k)
        checks.push((x) => !Array.isArray(x) || x.some(f))
        break
      }
      case 'minItems':
      case 'maxItems': {
        const n = count(v, where, k)
        checks.push((x) => !Array.isArray(x) || (k === 'minItems' ? x.length >= n : x.length <= n))
        break
      }
      case 'uniqueItems':
        if (typeof v !== 'boolean') bad(where, 'uniqueItems must be a boolean')
        checks.push((x) => !v || !Array.isArray(x) || x.every((a, i) => x.findIndex((b) => jsonEqual(a, b)) === i))
        break
      case 'properties': {
        if (!isJsonObject(v)) return bad(where, 'properties must be an object')
        const ps = Object.keys(v).map((p) => [p, sub(v[p], `properties.${p}`)] as const)
        checks.push((x) => !isJsonObject(x) || ps.every(([p, f]) => !hasOwn(x, p) || f(x[p] as JsonValue)))
        break
      }
      case 'additionalProperties': {
        const f = sub(v, k)
        const known = isJsonObject(s.properties) ? new Set(Object.keys(s.properties)) : new Set<string>()
        checks.push((x) => !isJsonObject(x) || Object.keys(x).every((p) => known.has(p) || f(x[p] as JsonValue)))
        break
      }
      case 'required':
        if (!Array.isArray(v) || v.some((p) => typeof p !== 'string')) bad(where, 'required must be an array of strings')
        checks.push((x) => !isJsonObject(x) || (v as string[]).every((p) => hasOwn(x, p)))
        break
      case 'not': {
        const f = sub(v, k)
        checks.push((x) => !f(x))
        break
      }
      case 'allOf': {
        const fs = subs(v, k)
        checks.push((x) => fs.every((f) => f(x)))
        break
      }
      case 'anyOf': {
        const fs = subs(v, k)
        checks.push((x) => fs.some((f) => f(x)))
        break
      }
      case 'oneOf': {
        const fs = subs(v, k)
        checks.push((x) => fs.filter((f) => f(x)).length === 1)
        break
      }
      default:
        if (!ANNOTATIONS.has(k) && !ctx.ignoreUnknown) bad(where, `keyword ${k.slice(0, 40)} is not supported`)
    }
  }
  return checks
}

function compileNode(s: JsonValue, ctx: Ctx, where: string, depth: number): FilterPredicate {
  if (++ctx.nodes > FILTER_LIMITS.nodes) bad(where, 'has too many subschemas')
  if (depth > FILTER_LIMITS.depth) bad(where, 'is nested too deeply')
  if (s === true) return () => true
  if (s === false) return () => false
  if (!isJsonObject(s)) return bad(where, 'a schema is an object or a boolean')
  // Draft-07 §8.3: beside $ref, other keywords are ignored (only containers of definitions may appear).
  const checks = hasOwn(s, '$ref') ? [resolveRef(s.$ref as JsonValue, ctx, where)] : compileKeywords(s, ctx, where, depth)
  for (const k of ['$defs', 'definitions'] as const) {
    const defs = s[k]
    if (defs !== undefined && !isJsonObject(defs)) bad(where, `${k} must be an object`)
    if (isJsonObject(defs))
      for (const d of Object.keys(defs)) compileNode(defs[d] as JsonValue, ctx, `${where}.${k}.${d}`, depth + 1)
  }
  return (v) => {
    try {
      if (++ctx.evalDepth > FILTER_LIMITS.evalDepth)
        throw new PexError('openid4vp.pex_filter_unsupported', 'filter evaluation recursed too deeply')
      return checks.every((c) => c(v))
    } finally {
      ctx.evalDepth--
    }
  }
}

/**
 * The built-in evaluator: a strict subset of JSON Schema draft-07 (type, const, enum, pattern,
 * min/maxLength, (exclusive)minimum/maximum, multipleOf, format date/date-time and
 * format(Exclusive)Minimum/Maximum, items, contains, min/maxItems, uniqueItems, properties,
 * required, additionalProperties, not, allOf, anyOf, oneOf, local `$ref`). Any other keyword is
 * refused with `openid4vp.pex_filter_unsupported`, so a filter is never silently weakened.
 *
 * `ignoreUnknownKeywords` is for holders only: PEX 2.1.1 §Input Descriptor Object (note "IDO
 * Filter") lets a holder ignore keywords it does not know; a verifier must not, since that would
 * accept values its own filter excludes.
 */
export function createStrictFilterEvaluator(o: { ignoreUnknownKeywords?: boolean } = {}): FilterEvaluator {
  const cache = new WeakMap<object, FilterPredicate>()
  return {
    compile(schema: JsonValue): FilterPredicate {
      if (typeof schema === 'object' && schema !== null) {
        const hit = cache.get(schema)
        if (hit) return hit
      }
      const ctx: Ctx = { root: schema, ignoreUnknown: o.ignoreUnknownKeywords === true, nodes: 0, evalDepth: 0, refs: new Map() }
      const fn = compileNode(schema, ctx, '', 0)
      ctx.refs.set('#', fn)
      if (typeof schema === 'object' && schema !== null) cache.set(schema, fn)
      return fn
    },
  }
}

export const strictFilterEvaluator: FilterEvaluator = createStrictFilterEvaluator()
