import { hasOwn, isJsonObject, type JsonValue } from '@bonafide/core'
import { PexError } from './errors.js'

/**
 * The JSONPath subset Presentation Exchange uses in practice (PEX 2.1.1 "JSONPath Syntax
 * Definition", RFC 9535 semantics): `$`, `.name`, `['name']`/`["name"]`, `[n]` (negative counts
 * from the end), `.*`/`[*]` and `..` descent. Filters `?()`, scripts `()`, slices, unions and `@`
 * are refused with a typed error: they are the risky part of JSONPath (PEX §Security) and no
 * OpenID4VP profile needs them.
 */
export type JsonPathSelector =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' }

export interface JsonPathSegment {
  readonly selector: JsonPathSelector
  /** `..`: apply the selector to the node and all its descendants. */
  readonly descendant: boolean
}

export interface JsonPath {
  readonly source: string
  readonly segments: readonly JsonPathSegment[]
  /** No wildcard and no descent: selects at most one node. */
  readonly definite: boolean
}

/** Where a node sits: member names and array indices from the root. */
export type NodeLocation = readonly (string | number)[]

export interface JsonPathNode {
  readonly value: JsonValue
  readonly location: NodeLocation
}

export const JSONPATH_LIMITS = { length: 512, segments: 32, visited: 10_000 } as const

const NAME_FIRST = /[A-Za-z_\u0080-\uFFFF]/
const NAME_CHAR = /[A-Za-z0-9_\-\u0080-\uFFFF]/
const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '/': '/', '\\': '\\', "'": "'", '"': '"' }

const unsupported = (what: string, at: number): never => {
  throw new PexError('openid4vp.pex_path_unsupported', `JSONPath ${what} at offset ${at}`, { details: { offset: at } })
}

function readQuoted(s: string, i: number): [string, number] {
  const q = s[i] as string
  let out = ''
  let j = i + 1
  while (j < s.length && s[j] !== q) {
    const c = s[j] as string
    if (c === '\\') {
      const e = s[j + 1] ?? ''
      if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(s.slice(j + 2, j + 6))) {
        out += String.fromCharCode(Number.parseInt(s.slice(j + 2, j + 6), 16))
        j += 6
        continue
      }
      if (!(e in ESCAPES)) unsupported('has an invalid escape', j)
      out += ESCAPES[e]
      j += 2
      continue
    }
    if (c < ' ') unsupported('has a control character in a name', j)
    out += c
    j++
  }
  if (j >= s.length) unsupported('has an unterminated string', i)
  return [out, j + 1]
}

function readBracket(s: string, i: number): [JsonPathSelector, number] {
  const c = s[i + 1]
  let sel: JsonPathSelector
  let j: number
  if (c === "'" || c === '"') {
    const [name, end] = readQuoted(s, i + 1)
    sel = { kind: 'name', name }
    j = end
  } else if (c === '*') {
    sel = { kind: 'wildcard' }
    j = i + 2
  } else {
    const m = /^(-?(?:0|[1-9][0-9]{0,14}))/.exec(s.slice(i + 1))
    if (!m || m[1] === '-0')
      return unsupported('uses a filter, slice, union or script (only names, indices and * are supported)', i)
    sel = { kind: 'index', index: Number(m[1]) }
    j = i + 1 + (m[1] as string).length
  }
  if (s[j] !== ']') unsupported('uses a filter, slice, union or script (only names, indices and * are supported)', j)
  return [sel, j + 1]
}

function readShorthand(s: string, i: number): [JsonPathSelector, number] {
  if (s[i] === '*') return [{ kind: 'wildcard' }, i + 1]
  if (!NAME_FIRST.test(s[i] ?? '')) unsupported('has an invalid member name', i)
  let j = i + 1
  while (j < s.length && NAME_CHAR.test(s[j] as string)) j++
  return [{ kind: 'name', name: s.slice(i, j) }, j]
}

/** Parse a JSONPath expression of the supported subset; throws `openid4vp.pex_path_unsupported`. */
export function parseJsonPath(source: unknown): JsonPath {
  if (typeof source !== 'string' || source.length === 0 || source.length > JSONPATH_LIMITS.length)
    return unsupported('must be a non-empty string of bounded length', 0)
  if (source[0] !== '$') unsupported('must start at the root $', 0)
  const segments: JsonPathSegment[] = []
  let i = 1
  while (i < source.length) {
    let descendant = false
    let sel: JsonPathSelector
    if (source.startsWith('..', i)) {
      descendant = true
      ;[sel, i] = source[i + 2] === '[' ? readBracket(source, i + 2) : readShorthand(source, i + 2)
    } else if (source[i] === '.') {
      ;[sel, i] = readShorthand(source, i + 1)
    } else if (source[i] === '[') {
      ;[sel, i] = readBracket(source, i)
    } else {
      return unsupported('has an unexpected character', i)
    }
    segments.push({ selector: sel, descendant })
    if (segments.length > JSONPATH_LIMITS.segments) unsupported('has too many segments', i)
  }
  const definite = segments.every((g) => !g.descendant && g.selector.kind !== 'wildcard')
  return { source, segments, definite }
}

function children(n: JsonPathNode): JsonPathNode[] {
  const v = n.value
  if (Array.isArray(v)) return v.map((x, k) => ({ value: x, location: [...n.location, k] }))
  if (isJsonObject(v)) return Object.keys(v).map((k) => ({ value: v[k] as JsonValue, location: [...n.location, k] }))
  return []
}

function select(n: JsonPathNode, sel: JsonPathSelector): JsonPathNode[] {
  const v = n.value
  if (sel.kind === 'wildcard') return children(n)
  if (sel.kind === 'name')
    return isJsonObject(v) && hasOwn(v, sel.name)
      ? [{ value: v[sel.name] as JsonValue, location: [...n.location, sel.name] }]
      : []
  if (!Array.isArray(v)) return []
  const k = sel.index < 0 ? v.length + sel.index : sel.index
  return k >= 0 && k < v.length ? [{ value: v[k] as JsonValue, location: [...n.location, k] }] : []
}

/**
 * Evaluate a parsed path (RFC 9535 semantics, document order). The number of nodes visited is
 * bounded, so `$..x` over a large value fails with a typed error instead of running long.
 */
export function evaluateJsonPath(path: JsonPath, root: JsonValue): JsonPathNode[] {
  let nodes: JsonPathNode[] = [{ value: root, location: [] }]
  let visited = 0
  const spend = (n: number) => {
    visited += n
    if (visited > JSONPATH_LIMITS.visited) unsupported('visits too many nodes', 0)
  }
  for (const seg of path.segments) {
    let scope = nodes
    if (seg.descendant) {
      scope = []
      const stack = [...nodes].reverse()
      while (stack.length > 0) {
        const n = stack.pop() as JsonPathNode
        scope.push(n)
        const cs = children(n)
        spend(cs.length)
        for (let k = cs.length - 1; k >= 0; k--) stack.push(cs[k] as JsonPathNode)
      }
    }
    const next: JsonPathNode[] = []
    for (const n of scope) next.push(...select(n, seg.selector))
    spend(next.length)
    nodes = next
  }
  return nodes
}

/** A location as a normalized JSONPath (`$['a'][0]`), for reports. */
export function formatLocation(loc: NodeLocation): string {
  const quote = (p: string) =>
    [...p]
      .map((c) => {
        if (c === '\\' || c === "'") return `\\${c}`
        const n = c.charCodeAt(0)
        return n < 0x20 ? `\\u${n.toString(16).padStart(4, '0')}` : c
      })
      .join('')
  return `$${loc.map((p) => (typeof p === 'number' ? `[${p}]` : `['${quote(p)}']`)).join('')}`
}
