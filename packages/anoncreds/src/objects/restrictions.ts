/**
 * The restriction query language of presentation requests (AnonCreds v1 §Create Presentation Request,
 * "restrictions"; anoncreds-rs src/utils/query.rs, the WQL subset). A restriction is a JSON object whose members
 * are `$and: [..]`, `$or: [..]`, `$not: {..}`, `$exist: name | [names]`, `tag: "value"` (equality) or
 * `tag: { "$neq" | "$gt" | "$gte" | "$lt" | "$lte" | "$like": "value" }` / `tag: { "$in": [..] }`; several members
 * are AND-ed. A JSON array is the legacy form: an OR of its non-empty objects, with null members dropped.
 * Tags are `schema_id`, `schema_issuer_did`/`schema_issuer_id`, `schema_name`, `schema_version`, `issuer_did`/
 * `issuer_id`, `cred_def_id`, `rev_reg_id`, and the attribute markers `attr::<name>::value` / `attr::<name>::marker`.
 */
import { AnonCredsError } from '../errors.js'
import { isUriIdentifier } from './identifiers.js'
import { LIMITS } from './limits.js'

export type RestrictionQuery =
  | { op: 'and'; queries: RestrictionQuery[] }
  | { op: 'or'; queries: RestrictionQuery[] }
  | { op: 'not'; query: RestrictionQuery }
  | { op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'like'; tag: string; value: string }
  | { op: 'in'; tag: string; values: string[] }
  | { op: 'exist'; tags: string[] }

const SINGLE = { $neq: 'neq', $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte', $like: 'like' } as const

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

class QueryError extends Error {
  readonly path: string[]
  constructor(message: string, path: string[]) {
    super(message)
    this.path = path
  }
}

/**
 * Parses a restriction (object or legacy array) into a query tree, exactly as anoncreds-rs `Query::deserialize`.
 * Throws `anoncreds.invalid_object` (or `anoncreds.too_large`) with the offending path in `details.path`.
 */
export function parseRestrictions(input: unknown): RestrictionQuery {
  const budget = { nodes: 0 }
  try {
    if (isObj(input)) return parseQuery(input, [], budget, 0)
    if (Array.isArray(input)) {
      if (input.length > LIMITS.maxQueryNodes) throw new QueryError('too many restrictions', [])
      const subs: Obj[] = []
      input.forEach((sub, i) => {
        if (!isObj(sub)) throw new QueryError('restriction is invalid', [String(i)])
        const kept = Object.fromEntries(Object.entries(sub).filter(([, v]) => v !== null))
        if (Object.keys(kept).length > 0) subs.push(kept)
      })
      return parseQuery({ $or: subs }, [], budget, 0)
    }
    throw new QueryError('restriction must be either object or array', [])
  } catch (e) {
    if (!(e instanceof QueryError)) throw e
    const tooLarge = e.message.startsWith('too ')
    throw new AnonCredsError(tooLarge ? 'anoncreds.too_large' : 'anoncreds.invalid_object', `restrictions: ${e.message}`, {
      details: { path: e.path },
    })
  }
}

function parseQuery(map: Obj, path: string[], budget: { nodes: number }, depth: number): RestrictionQuery {
  if (depth > LIMITS.maxJsonDepth) throw new QueryError('too deeply nested', path)
  const ops: RestrictionQuery[] = []
  for (const [key, value] of Object.entries(map)) {
    if (++budget.nodes > LIMITS.maxQueryNodes) throw new QueryError('too many query nodes', path)
    const op = parseOperator(key, value, [...path, key], budget, depth)
    if (op) ops.push(op)
  }
  return ops.length === 1 ? (ops[0] as RestrictionQuery) : { op: 'and', queries: ops }
}

function strings(v: unknown[], path: string[], what: string): string[] {
  if (v.length > LIMITS.maxQueryValues) throw new QueryError(`too many ${what} values`, path)
  return v.map((s, i) => {
    if (typeof s !== 'string') throw new QueryError(`${what} must be used with strings`, [...path, String(i)])
    return s
  })
}

function parseOperator(
  key: string,
  value: unknown,
  path: string[],
  budget: { nodes: number },
  depth: number,
): RestrictionQuery | undefined {
  if (key === '$and' || key === '$or') {
    if (!Array.isArray(value)) throw new QueryError(`${key} must be array of JSON objects`, path)
    if (value.length === 0) return undefined
    const queries = value.map((v, i) => {
      if (!isObj(v)) throw new QueryError('operator must be array of JSON objects', [...path, String(i)])
      return parseQuery(v, [...path, String(i)], budget, depth + 1)
    })
    return { op: key === '$and' ? 'and' : 'or', queries }
  }
  if (key === '$not') {
    if (!isObj(value)) throw new QueryError('$not must be JSON object', path)
    return { op: 'not', query: parseQuery(value, path, budget, depth + 1) }
  }
  if (key === '$exist') {
    if (typeof value === 'string') return { op: 'exist', tags: [value] }
    if (!Array.isArray(value)) throw new QueryError('$exist must be used with a string or array of strings', path)
    if (value.length === 0) return undefined
    return { op: 'exist', tags: strings(value, path, '$exist') }
  }
  if (typeof value === 'string') return { op: 'eq', tag: key, value }
  if (isObj(value)) {
    const entries = Object.entries(value)
    if (entries.length !== 1) throw new QueryError('value must be JSON object of length 1', path)
    const [name, v] = entries[0] as [string, unknown]
    if (name === '$in') {
      if (!Array.isArray(v)) throw new QueryError('$in must be used with array of strings', [...path, name])
      return { op: 'in', tag: key, values: strings(v, [...path, name], '$in') }
    }
    const op = Object.hasOwn(SINGLE, name) ? SINGLE[name as keyof typeof SINGLE] : undefined
    if (!op) throw new QueryError('unknown operator', [...path, name])
    if (typeof v !== 'string') throw new QueryError(`${name} must be used with string`, [...path, name])
    return { op, tag: key, value: v }
  }
  throw new QueryError('unsupported value', path)
}

/** Serializes a query tree back to JSON as anoncreds-rs `AbstractQuery::to_value` does. */
export function restrictionsToJson(q: RestrictionQuery): Record<string, unknown> {
  switch (q.op) {
    case 'and':
    case 'or':
      return q.queries.length === 0 ? {} : { [`$${q.op}`]: q.queries.map(restrictionsToJson) }
    case 'not':
      return { $not: restrictionsToJson(q.query) }
    case 'eq':
      return { [q.tag]: q.value }
    case 'in':
      return { [q.tag]: { $in: q.values } }
    case 'exist':
      return { $exist: q.tags }
    default:
      return { [q.tag]: { [`$${q.op}`]: q.value } }
  }
}

/** Every (tag, value) pair a query mentions; `$exist` tags come with the empty value (as anoncreds-rs checks them). */
export function restrictionTagValues(q: RestrictionQuery): Array<[string, string]> {
  switch (q.op) {
    case 'and':
    case 'or':
      return q.queries.flatMap(restrictionTagValues)
    case 'not':
      return restrictionTagValues(q.query)
    case 'in':
      return q.values.map((v) => [q.tag, v])
    case 'exist':
      return q.tags.map((t) => [t, ''])
    default:
      return [[q.tag, q.value]]
  }
}

const ATTR_TAG = /^attr::([^:]+)::(value|marker)$/

export type RestrictionTag =
  | { kind: 'attribute'; name: string; type: 'value' | 'marker' }
  | {
      kind: 'field'
      name:
        | 'schema_id'
        | 'schema_issuer_did'
        | 'schema_issuer_id'
        | 'schema_name'
        | 'schema_version'
        | 'issuer_did'
        | 'issuer_id'
        | 'cred_def_id'
        | 'rev_reg_id'
    }
  | { kind: 'unknown'; name: string }

const FIELDS = new Set([
  'schema_id',
  'schema_issuer_did',
  'schema_issuer_id',
  'schema_name',
  'schema_version',
  'issuer_did',
  'issuer_id',
  'cred_def_id',
  'rev_reg_id',
])

/** Classifies a restriction tag (anoncreds-rs verifier.rs `INTERNAL_TAG_MATCHER` and `process_filter`). */
export function parseRestrictionTag(tag: string): RestrictionTag {
  const m = ATTR_TAG.exec(tag)
  if (m) return { kind: 'attribute', name: m[1] as string, type: m[2] as 'value' | 'marker' }
  if (FIELDS.has(tag)) return { kind: 'field', name: tag as Extract<RestrictionTag, { kind: 'field' }>['name'] }
  return { kind: 'unknown', name: tag }
}

/** `Credential::QUALIFIABLE_TAGS`: tags whose values must not be fully qualified in a "1.0" request. */
export const QUALIFIABLE_TAGS = ['issuer_did', 'cred_def_id', 'schema_id', 'schema_issuer_did', 'rev_reg_id'] as const

/** The anoncreds-rs `_check_restriction` rule for version-1 presentation requests. */
export function hasQualifiedIdentifier(q: RestrictionQuery): boolean {
  return restrictionTagValues(q).some(([t, v]) => (QUALIFIABLE_TAGS as readonly string[]).includes(t) && isUriIdentifier(v))
}
