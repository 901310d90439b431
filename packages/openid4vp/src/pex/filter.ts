import { hasOwn, isJsonObject, type JsonObject, type JsonValue } from '@bonafide/core'
import { PexError } from './errors.js'
import { ANNOTATIONS, bad, type Check, KEYWORDS } from './filter-keywords.js'

export { parseRfc3339 } from './filter-keywords.js'

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

export const FILTER_LIMITS = { nodes: 512, depth: 32, evalDepth: 64 } as const

interface Ctx {
  root: JsonValue
  ignoreUnknown: boolean
  nodes: number
  evalDepth: number
  refs: Map<string, FilterPredicate>
}

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
  const sub = (x: JsonValue | undefined, k: string) => compileNode(x as JsonValue, ctx, `${where}.${k}`, depth + 1)
  const checks: Check[] = []
  for (const k of Object.keys(s)) {
    const compile = hasOwn(KEYWORDS, k) ? KEYWORDS[k] : undefined
    if (!compile) {
      if (!ANNOTATIONS.has(k) && !ctx.ignoreUnknown) bad(where, `keyword ${k.slice(0, 40)} is not supported`)
      continue
    }
    const c = compile({ v: s[k] as JsonValue, schema: s, where, ignoreUnknown: ctx.ignoreUnknown, sub })
    if (c) checks.push(c)
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
      const key = typeof schema === 'object' && schema !== null ? schema : undefined
      const hit = key && cache.get(key)
      if (hit) return hit
      const ctx: Ctx = { root: schema, ignoreUnknown: o.ignoreUnknownKeywords === true, nodes: 0, evalDepth: 0, refs: new Map() }
      const fn = compileNode(schema, ctx, '', 0)
      ctx.refs.set('#', fn)
      if (key) cache.set(key, fn)
      return fn
    },
  }
}

export const strictFilterEvaluator: FilterEvaluator = createStrictFilterEvaluator()
