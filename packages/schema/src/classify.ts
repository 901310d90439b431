import { isJsonObject, type JsonObject, type JsonValue } from '@bonafide/core'
import { canonicalJson } from './document.js'
import { pointerAppend } from './report.js'

export type SchemaChangeKind = 'none' | 'patch' | 'additive' | 'breaking'

/** How a new schema version relates to the old one, with a reason per change found. */
export interface SchemaChange {
  readonly kind: SchemaChangeKind
  readonly reasons: readonly string[]
}

const RANK: Record<SchemaChangeKind, number> = { none: 0, patch: 1, additive: 2, breaking: 3 }

/** Keywords that never change what validates. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$id',
  '$schema',
  '$anchor',
])
/** A larger value accepts less (a raised minimum breaks). */
const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains'])
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains'])
/** Adding or changing these can only reject more; removing them only accepts more. */
const CONSTRAINTS = new Set(['pattern', 'format', 'multipleOf', 'const'])
const OPEN_ENDED = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'unevaluatedItems',
  'propertyNames',
  'contains',
])

class Acc {
  kind: SchemaChangeKind = 'none'
  readonly reasons: string[] = []
  add(kind: SchemaChangeKind, reason: string): void {
    if (RANK[kind] > RANK[this.kind]) this.kind = kind
    this.reasons.push(`${kind}: ${reason}`)
  }
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b)
const asNode = (v: JsonValue | undefined): JsonObject =>
  v === undefined || v === true ? {} : v === false ? { not: {} } : isJsonObject(v) ? v : {}
const at = (p: string) => p || '/'

/**
 * Classify a schema change by its effect on data: `breaking` when claims valid under the old
 * schema may be invalid under the new one (property removed, type narrowed or changed, newly
 * required, enum narrowed, `additionalProperties: false` added, tighter bounds, …), `additive`
 * when it only accepts more (optional properties added, constraints relaxed), `patch` when only
 * annotations changed, `none` when equal. Keywords it cannot reason about count as breaking.
 * Undeclared members are not part of a schema's contract: adding an optional property is additive
 * even where the old schema let such a member through with any value.
 * @example classifySchemaChange(v1.schema, v2.schema) // { kind: 'additive', reasons: ["additive: /nickname: optional property added"] }
 */
export function classifySchemaChange(oldSchema: unknown, newSchema: unknown): SchemaChange {
  const acc = new Acc()
  compareNode(asNode(oldSchema as JsonValue), asNode(newSchema as JsonValue), '', acc)
  return { kind: acc.kind, reasons: acc.reasons }
}

function compareNode(a: JsonObject, b: JsonObject, path: string, acc: Acc): void {
  if (same(a, b)) return
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k]
    const y = b[k]
    if (same(x, y)) continue
    if (ANNOTATIONS.has(k)) acc.add('patch', `${at(path)}: ${k} changed`)
    else if (k === 'type') compareTypes(x, y, path, acc)
    else if (k === 'properties') compareProperties(a, b, path, acc)
    else if (k === 'required') compareRequired(x, y, path, acc)
    else if (k === 'enum') compareEnum(x, y, path, acc)
    else if (k === '$defs' || k === 'definitions') compareDefs(x, y, path, acc)
    else if (LOWER_BOUNDS.has(k) || UPPER_BOUNDS.has(k)) compareBound(k, x, y, path, acc)
    else if (CONSTRAINTS.has(k))
      acc.add(
        y === undefined ? 'additive' : 'breaking',
        `${at(path)}: ${k} ${y === undefined ? 'removed' : x === undefined ? 'added' : 'changed'}`,
      )
    else if (k === 'uniqueItems')
      acc.add(y === true ? 'breaking' : 'additive', `${at(path)}: uniqueItems ${y === true ? 'required' : 'relaxed'}`)
    else if (OPEN_ENDED.has(k)) compareOpenEnded(k, x, y, path, acc)
    else acc.add('breaking', `${at(path)}: ${k} changed (not analysed, treated as breaking)`)
  }
}

function typeSet(v: JsonValue | undefined): Set<string> | undefined {
  if (v === undefined) return undefined
  return new Set(Array.isArray(v) ? v.map(String) : [String(v)])
}

/** Does type set `s` accept every value of type `t`? (`number` includes `integer`.) */
const covers = (s: Set<string> | undefined, t: string) => !s || s.has(t) || (t === 'integer' && s.has('number'))
const within = (inner: Set<string> | undefined, outer: Set<string> | undefined) =>
  inner ? [...inner].every((t) => covers(outer, t)) : !outer

function compareTypes(x: JsonValue | undefined, y: JsonValue | undefined, path: string, acc: Acc): void {
  const o = typeSet(x)
  const n = typeSet(y)
  const narrowed = within(n, o)
  const widened = within(o, n)
  if (narrowed && widened) acc.add('patch', `${at(path)}: type rewritten, same values`)
  else if (widened) acc.add('additive', `${at(path)}: type widened`)
  else acc.add('breaking', `${at(path)}: type ${narrowed ? 'narrowed' : 'changed'}`)
}

function compareProperties(a: JsonObject, b: JsonObject, path: string, acc: Acc): void {
  const pa = isJsonObject(a.properties) ? a.properties : {}
  const pb = isJsonObject(b.properties) ? b.properties : {}
  const requiredNew = new Set(Array.isArray(b.required) ? b.required.map(String) : [])
  for (const name of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
    const p = pointerAppend(path, name)
    if (!Object.hasOwn(pb, name)) acc.add('breaking', `${p}: property removed`)
    else if (!Object.hasOwn(pa, name)) {
      // A newly required property is reported by compareRequired.
      if (!requiredNew.has(name)) acc.add('additive', `${p}: optional property added`)
    } else compareNode(asNode(pa[name]), asNode(pb[name]), p, acc)
  }
}

function compareRequired(x: JsonValue | undefined, y: JsonValue | undefined, path: string, acc: Acc): void {
  const o = new Set(Array.isArray(x) ? x.map(String) : [])
  const n = new Set(Array.isArray(y) ? y.map(String) : [])
  for (const name of n) if (!o.has(name)) acc.add('breaking', `${pointerAppend(path, name)}: newly required`)
  for (const name of o) if (!n.has(name)) acc.add('additive', `${pointerAppend(path, name)}: no longer required`)
}

function compareEnum(x: JsonValue | undefined, y: JsonValue | undefined, path: string, acc: Acc): void {
  if (!Array.isArray(y)) {
    acc.add('additive', `${at(path)}: enum removed`)
    return
  }
  if (!Array.isArray(x)) {
    acc.add('breaking', `${at(path)}: enum added`)
    return
  }
  const n = new Set(y.map(canonicalJson))
  const o = new Set(x.map(canonicalJson))
  if ([...o].some((v) => !n.has(v))) acc.add('breaking', `${at(path)}: enum narrowed`)
  if ([...n].some((v) => !o.has(v))) acc.add('additive', `${at(path)}: enum values added`)
}

function compareDefs(x: JsonValue | undefined, y: JsonValue | undefined, path: string, acc: Acc): void {
  const o = isJsonObject(x) ? x : {}
  const n = isJsonObject(y) ? y : {}
  for (const name of new Set([...Object.keys(o), ...Object.keys(n)])) {
    const p = `${at(path)} $defs/${name}`
    if (!Object.hasOwn(n, name)) acc.add('breaking', `${p} removed`)
    else if (!Object.hasOwn(o, name)) acc.add('patch', `${p} added`)
    else compareNode(asNode(o[name]), asNode(n[name]), `${path}/$defs/${name}`, acc)
  }
}

function compareBound(k: string, x: JsonValue | undefined, y: JsonValue | undefined, path: string, acc: Acc): void {
  const lower = LOWER_BOUNDS.has(k)
  if (typeof y !== 'number') {
    acc.add('additive', `${at(path)}: ${k} removed`)
    return
  }
  if (typeof x !== 'number') {
    acc.add('breaking', `${at(path)}: ${k} added`)
    return
  }
  const tighter = lower ? y > x : y < x
  acc.add(tighter ? 'breaking' : 'additive', `${at(path)}: ${k} ${tighter ? 'tightened' : 'relaxed'}`)
}

function compareOpenEnded(k: string, x: JsonValue | undefined, y: JsonValue | undefined, path: string, acc: Acc): void {
  const closed = (v: JsonValue | undefined) => v === false
  if (!closed(x) && closed(y)) {
    acc.add('breaking', `${at(path)}: ${k} false added`)
    return
  }
  if (closed(x) && !closed(y)) {
    acc.add('additive', `${at(path)}: ${k} no longer false`)
    return
  }
  // An absent `contains` accepts every array; a present one requires a match.
  if (k === 'contains' && (x === undefined || y === undefined)) {
    acc.add(x === undefined ? 'breaking' : 'additive', `${at(path)}: contains ${x === undefined ? 'added' : 'removed'}`)
    return
  }
  const sub = k === 'items' || k === 'unevaluatedItems' || k === 'contains' ? `${path}/*` : `${path} ${k}`
  compareNode(asNode(x), asNode(y), sub, acc)
}
