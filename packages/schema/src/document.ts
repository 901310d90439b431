import { digestB64u, isJsonObject, type JsonObject, type JsonValue, parseJson } from '@bonafide/core'
import { SchemaError } from './errors.js'

/** A JSON Schema 2020-12 document after `parseSchemaDocument`: a plain, deep-frozen JSON object. */
export type JsonSchemaDocument = Readonly<JsonObject>

export const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema'

export interface DocumentLimits {
  /** Serialized size cap in characters (default 256 KiB). */
  maxBytes?: number
  /** Nesting depth cap (default 64). */
  maxDepth?: number
  /** Longest `pattern` / `patternProperties` regular expression source accepted (default 512). */
  maxPatternLength?: number
}

export const DEFAULT_DOCUMENT_LIMITS = { maxBytes: 256 * 1024, maxDepth: 64, maxPatternLength: 512 } as const
const DEFAULTS = DEFAULT_DOCUMENT_LIMITS

/** Are these limits at least as loose as the defaults (so a document parsed under the defaults passes them)? */
export function allowsDefaultDocuments(l: DocumentLimits): boolean {
  return (
    (l.maxBytes ?? DEFAULTS.maxBytes) >= DEFAULTS.maxBytes &&
    (l.maxDepth ?? DEFAULTS.maxDepth) >= DEFAULTS.maxDepth &&
    (l.maxPatternLength ?? DEFAULTS.maxPatternLength) >= DEFAULTS.maxPatternLength
  )
}

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v)
  return p === Object.prototype || p === null
}

/**
 * Check that a value is plain JSON within a depth limit (iteratively, so cycles and deep nesting
 * cannot overflow the stack), then return a deep copy. `what` picks the error codes.
 */
export function copyJson(input: unknown, maxDepth: number, maxBytes: number, what: 'document' | 'claims'): JsonValue {
  const [invalid, tooDeep, tooLarge] =
    what === 'document'
      ? (['schema.document_invalid', 'schema.document_too_deep', 'schema.document_too_large'] as const)
      : (['schema.claims_invalid', 'schema.claims_too_large', 'schema.claims_too_large'] as const)
  const stack: Array<[unknown, number]> = [[input, 1]]
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number]
    if (d > maxDepth) throw new SchemaError(tooDeep, `${what} nesting exceeds ${maxDepth} levels`)
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue
    if (typeof v === 'number' && Number.isFinite(v)) continue
    if (typeof v !== 'object' || !(Array.isArray(v) || isPlainObject(v)))
      throw new SchemaError(invalid, `${what} must contain only JSON values`)
    for (const c of Array.isArray(v) ? v : Object.values(v)) stack.push([c, d + 1])
  }
  const text = JSON.stringify(input)
  if (text.length > maxBytes) throw new SchemaError(tooLarge, `${what} exceeds ${maxBytes} characters`)
  return JSON.parse(text) as JsonValue
}

export function deepFreeze<T>(v: T): T {
  const stack: unknown[] = [v]
  while (stack.length > 0) {
    const x = stack.pop()
    if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
      Object.freeze(x)
      for (const c of Object.values(x)) stack.push(c)
    }
  }
  return v
}

/** JSON with object keys sorted (recursively): the form hashed for content identity. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (isJsonObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`
  return JSON.stringify(v)
}

/** Documents made by `parseSchemaDocument` (deep-frozen plain JSON), with their hash once computed. */
const parsed = new WeakMap<object, string | undefined>()

/** Was this object returned by `parseSchemaDocument` (so it is plain, frozen JSON within the default limits)? */
export function isParsedSchemaDocument(v: unknown): v is JsonSchemaDocument {
  return typeof v === 'object' && v !== null && parsed.has(v)
}

/** Content hash of a schema (SHA-256 over canonical JSON, base64url): the compile-cache key. */
export function schemaHash(schema: JsonSchemaDocument): string {
  const known = parsed.get(schema)
  if (known) return known
  const h = digestB64u('sha-256', canonicalJson(schema))
  if (parsed.has(schema)) parsed.set(schema, h)
  return h
}

/**
 * Strictly parse an untrusted JSON Schema document (JSON text or a value): size and depth
 * limited, plain JSON only, an object (boolean schemas are refused), `$schema` absent or
 * 2020-12, bounded regular expressions. Returns a deep-frozen copy.
 * @example const doc = parseSchemaDocument(await readFile('degree.schema.json', 'utf8'))
 */
export function parseSchemaDocument(input: unknown, limits: DocumentLimits = {}): JsonSchemaDocument {
  const l = {
    maxBytes: limits.maxBytes ?? DEFAULTS.maxBytes,
    maxDepth: limits.maxDepth ?? DEFAULTS.maxDepth,
    maxPatternLength: limits.maxPatternLength ?? DEFAULTS.maxPatternLength,
  }
  let value = input
  if (typeof input === 'string') {
    if (input.length > l.maxBytes) throw new SchemaError('schema.document_too_large', `document exceeds ${l.maxBytes} characters`)
    try {
      value = parseJson(input, { maxLength: l.maxBytes })
    } catch (cause) {
      throw new SchemaError('schema.document_invalid', 'schema document is not valid JSON', { cause })
    }
  }
  const doc = copyJson(value, l.maxDepth, l.maxBytes, 'document')
  if (!isJsonObject(doc)) throw new SchemaError('schema.document_invalid', 'a schema document must be a JSON object')
  if (doc.$schema !== undefined && doc.$schema !== JSON_SCHEMA_2020_12)
    throw new SchemaError('schema.document_invalid', 'only JSON Schema 2020-12 documents are supported')
  checkPatterns(doc, l.maxPatternLength)
  deepFreeze(doc)
  // Remembered only when parsed within the default limits, so validators can skip a second parse.
  if (isWithin(l)) parsed.set(doc, undefined)
  return doc
}

function isWithin(l: Required<DocumentLimits>): boolean {
  return l.maxBytes <= DEFAULTS.maxBytes && l.maxDepth <= DEFAULTS.maxDepth && l.maxPatternLength <= DEFAULTS.maxPatternLength
}

function checkPatterns(doc: JsonObject, max: number): void {
  forEachSchemaNode(doc, (node) => {
    const p = node.pattern
    if (p !== undefined && (typeof p !== 'string' || p.length > max))
      throw new SchemaError('schema.document_invalid', `pattern must be a string of at most ${max} characters`)
    if (isJsonObject(node.patternProperties))
      for (const k of Object.keys(node.patternProperties))
        if (k.length > max)
          throw new SchemaError('schema.document_invalid', `patternProperties keys are limited to ${max} characters`)
  })
}

/** Keywords whose values are instance data, not subschemas: never walked for `$ref`s. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'examples', 'default'])
/** Keywords whose values map names to subschemas (a property called `enum` is a schema there). */
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'])

/** Visit every schema object reachable from a root, skipping instance data (`const`, `enum`, …), with the base URI in scope. */
export function forEachSchemaNode(root: JsonObject, visit: (node: JsonObject, base: string | undefined) => void): void {
  const stack: Array<[JsonValue, string | undefined, boolean]> = [[root, undefined, false]]
  while (stack.length > 0) {
    const [v, parentBase, nameMap] = stack.pop() as [JsonValue, string | undefined, boolean]
    if (Array.isArray(v)) {
      for (const c of v) stack.push([c, parentBase, false])
      continue
    }
    if (!isJsonObject(v)) continue
    if (nameMap) {
      for (const c of Object.values(v)) stack.push([c, parentBase, false])
      continue
    }
    const base = typeof v.$id === 'string' ? resolveUri(v.$id, parentBase) : parentBase
    visit(v, base)
    for (const [k, c] of Object.entries(v)) if (!DATA_KEYWORDS.has(k)) stack.push([c, base, NAME_MAPS.has(k)])
  }
}

/** Resolve a URI reference against a base; undefined where it cannot be made absolute. */
export function resolveUri(ref: string, base: string | undefined): string | undefined {
  try {
    return new URL(ref, base).href
  } catch {
    return undefined
  }
}

export function stripFragment(uri: string): string {
  const i = uri.indexOf('#')
  return i < 0 ? uri : uri.slice(0, i)
}
