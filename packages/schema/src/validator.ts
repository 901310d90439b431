import { Ajv2020, type ErrorObject, MissingRefError, type ValidateFunction } from 'ajv/dist/2020.js'
import formatsPlugin from 'ajv-formats'
import {
  allowsDefaultDocuments,
  copyJson,
  type DocumentLimits,
  forEachSchemaNode,
  isParsedSchemaDocument,
  JSON_SCHEMA_2020_12,
  type JsonSchemaDocument,
  parseSchemaDocument,
  resolveUri,
  schemaHash,
  stripFragment,
} from './document.js'
import { SchemaError } from './errors.js'
import { pointerAppend, type SchemaReport } from './report.js'

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, typed as the namespace.
const addFormats = ((formatsPlugin as unknown as { default?: typeof formatsPlugin }).default ?? formatsPlugin) as unknown as (
  ajv: Ajv2020,
) => void

export interface SchemaValidatorOptions extends DocumentLimits {
  /** Already-loaded schemas (each with an absolute `$id`) that `$ref` may name: the only remote refs allowed. */
  schemas?: readonly unknown[]
  /** Claims size cap in characters of JSON (default 1 MiB) and depth cap (default 64). */
  maxClaimsBytes?: number
  maxClaimsDepth?: number
  /** Most errors reported (default 100). */
  maxErrors?: number
  /** Compiled validators kept (default 256, least recently used evicted). */
  cacheSize?: number
  /** Accept keywords Ajv does not know (default false: unknown keywords are a document error). */
  allowUnknownKeywords?: boolean
}

interface Entry {
  readonly doc: JsonSchemaDocument
  readonly fn: ValidateFunction
}

/**
 * JSON Schema 2020-12 validation with Ajv: formats from ajv-formats, no network (remote `$ref`s
 * only to schemas loaded with `addSchema`), validators compiled once and cached by content hash.
 * @example
 * const v = new SchemaValidator({ schemas: [addressSchema] })
 * const report = v.validate(degreeSchema, credentialSubject)
 */
export class SchemaValidator {
  readonly #ajv: Ajv2020
  readonly #o: Required<Omit<SchemaValidatorOptions, 'schemas' | keyof DocumentLimits>> & DocumentLimits
  readonly #cache = new Map<string, Entry>()
  readonly #withinDefaults: boolean
  /** $id → content hash of every schema Ajv holds; `#allowed` are the ones remote refs may name. */
  readonly #known = new Map<string, string>()
  readonly #allowed = new Set<string>([JSON_SCHEMA_2020_12])

  constructor(o: SchemaValidatorOptions = {}) {
    this.#o = {
      maxClaimsBytes: o.maxClaimsBytes ?? 1 << 20,
      maxClaimsDepth: o.maxClaimsDepth ?? 64,
      maxErrors: o.maxErrors ?? 100,
      cacheSize: o.cacheSize ?? 256,
      allowUnknownKeywords: o.allowUnknownKeywords ?? false,
      ...(o.maxBytes !== undefined ? { maxBytes: o.maxBytes } : {}),
      ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}),
      ...(o.maxPatternLength !== undefined ? { maxPatternLength: o.maxPatternLength } : {}),
    }
    // A document parsed under the default limits is only reused when this validator's are no stricter.
    this.#withinDefaults = allowsDefaultDocuments(o)
    this.#ajv = new Ajv2020({
      allErrors: true,
      strictSchema: !this.#o.allowUnknownKeywords,
      strictTypes: false,
      strictTuples: false,
      strictRequired: false,
      allowUnionTypes: true,
      validateFormats: true,
      // No loadSchema: Ajv never fetches; an unknown ref fails compilation.
    })
    addFormats(this.#ajv)
    for (const s of o.schemas ?? []) this.addSchema(s)
  }

  /** Load a schema that others may `$ref` by its absolute `$id`. */
  addSchema(schema: unknown): JsonSchemaDocument {
    const { doc, hash } = this.#parse(schema)
    const key = keyOf(doc)
    if (!key) throw new SchemaError('schema.document_invalid', 'a referenced schema needs an absolute $id')
    if (this.#allowed.has(key) && this.#known.get(key) === hash) return doc
    this.#checkRefs(doc)
    if (!this.#allowed.has(key)) this.#drop(this.#known.get(key)) // a compiled document under this $id gives way
    this.#claimId(key, hash)
    try {
      this.#ajv.addSchema(doc as object, key)
      this.#ajv.getSchema(key) // compile now so a bad document fails here, not at first use
    } catch (cause) {
      this.#ajv.removeSchema(key)
      this.#known.delete(key)
      throw ajvError(cause)
    }
    this.#allowed.add(key)
    return doc
  }

  /** Compile (or fetch from the cache) and return a reusable validate function. */
  compile(schema: unknown): (claims: unknown) => SchemaReport {
    const e = this.#entry(schema)
    return (claims) => this.#run(e, claims)
  }

  /** How many compiled validators are cached. */
  get cached(): number {
    return this.#cache.size
  }

  validate(schema: unknown, claims: unknown): SchemaReport {
    return this.#run(this.#entry(schema), claims)
  }

  /** Throws `schema.claims_invalid` with `details.errors` listing every failed field. */
  assert(schema: unknown, claims: unknown): void {
    const r = this.validate(schema, claims)
    if (!r.valid) throw claimsError(r)
  }

  #run(e: Entry, claims: unknown): SchemaReport {
    const data = copyJson(claims, this.#o.maxClaimsDepth, this.#o.maxClaimsBytes, 'claims')
    if (e.fn(data)) return { valid: true, errors: [] }
    const errors = (e.fn.errors ?? []).slice(0, this.#o.maxErrors).map(toIssue)
    return { valid: false, errors }
  }

  #parse(schema: unknown): { doc: JsonSchemaDocument; hash: string } {
    // Documents from parseSchemaDocument (e.g. registry records) are frozen JSON: no second parse.
    const doc = isParsedSchemaDocument(schema) && this.#withinDefaults ? schema : parseSchemaDocument(schema, this.#o)
    return { doc, hash: schemaHash(doc) }
  }

  #entry(schema: unknown): Entry {
    const { doc, hash } = this.#parse(schema)
    const hit = this.#cache.get(hash)
    if (hit) {
      this.#cache.delete(hash)
      this.#cache.set(hash, hit) // most recently used last
      return hit
    }
    this.#checkRefs(doc)
    const key = keyOf(doc)
    let fn: ValidateFunction | undefined
    if (key && this.#known.get(key) === hash) fn = this.#ajv.getSchema(key)
    // Another version that kept the same $id replaces the older compiled one (loaded schemas never are).
    if (key && !fn && !this.#allowed.has(key)) this.#drop(this.#known.get(key))
    if (!fn) {
      if (key) this.#claimId(key, hash)
      try {
        fn = this.#ajv.compile(doc as object)
      } catch (cause) {
        if (key) this.#known.delete(key)
        throw ajvError(cause)
      }
    }
    const entry = { doc, fn }
    this.#cache.set(hash, entry)
    this.#evict()
    return entry
  }

  #evict(): void {
    while (this.#cache.size > this.#o.cacheSize) this.#drop(this.#cache.keys().next().value)
  }

  /** Forget a compiled validator by content hash; schemas loaded with addSchema stay in Ajv. */
  #drop(hash: string | undefined): void {
    const old = hash === undefined ? undefined : this.#cache.get(hash)
    if (!old) return
    this.#cache.delete(hash as string)
    const key = keyOf(old.doc)
    if (key && this.#allowed.has(key)) return
    this.#ajv.removeSchema(old.doc as object)
    if (key) this.#known.delete(key)
  }

  #claimId(key: string, hash: string): void {
    const had = this.#known.get(key)
    if (had !== undefined && had !== hash)
      throw new SchemaError('schema.id_conflict', 'a different schema with this $id is already loaded')
    this.#known.set(key, hash)
  }

  /** Every `$ref` / `$dynamicRef` is local (`#…`), inside this document, or names a loaded schema. */
  #checkRefs(doc: JsonSchemaDocument): void {
    const own = new Set<string>()
    forEachSchemaNode(doc, (_n, base) => {
      if (base) own.add(stripFragment(base))
    })
    forEachSchemaNode(doc, (node, base) => {
      for (const k of ['$ref', '$dynamicRef'] as const) {
        const ref = node[k]
        if (ref === undefined) continue
        if (typeof ref !== 'string') throw new SchemaError('schema.document_invalid', `${k} must be a string`)
        if (ref.startsWith('#')) continue
        const abs = resolveUri(ref, base)
        const target = abs ? stripFragment(abs) : undefined
        if (!target || !(own.has(target) || this.#allowed.has(target)))
          throw new SchemaError('schema.ref_forbidden', `${k} to a schema that is not loaded is refused (no network)`)
      }
    })
  }
}

/** The absolute `$id` (without fragment) a document registers under in Ajv, if any. */
function keyOf(doc: JsonSchemaDocument): string | undefined {
  const id = typeof doc.$id === 'string' ? resolveUri(doc.$id, undefined) : undefined
  return id ? stripFragment(id) : undefined
}

function ajvError(cause: unknown): SchemaError {
  if (cause instanceof SchemaError) return cause
  if (cause instanceof MissingRefError)
    return new SchemaError('schema.ref_forbidden', 'the schema references a schema that is not loaded', { cause })
  return new SchemaError('schema.document_invalid', 'the document is not a valid JSON Schema 2020-12 schema', { cause })
}

function toIssue(e: ErrorObject): { path: string; keyword: string; message: string } {
  const p = e.params as Record<string, unknown>
  let path = e.instancePath
  // Point at the field itself, not its parent, for "missing" and "not allowed" errors.
  const field = p.missingProperty ?? p.additionalProperty ?? p.unevaluatedProperty
  if (typeof field === 'string') path = pointerAppend(path, field)
  return { path, keyword: e.keyword, message: e.message ?? 'is invalid' }
}

/** Keywords whose paths end in a member name taken from the claims, not from the schema. */
const INPUT_NAMED = new Set(['additionalProperties', 'unevaluatedProperties', 'propertyNames'])

export function claimsError(r: SchemaReport): SchemaError {
  // The message names only fields the schema declares; names taken from the input stay in details.
  const fields = [...new Set(r.errors.filter((e) => !INPUT_NAMED.has(e.keyword)).map((e) => e.path || '/'))]
  const where = fields.length > 0 ? ` at ${fields.slice(0, 10).join(', ')}${fields.length > 10 ? ', …' : ''}` : ''
  return new SchemaError('schema.claims_invalid', `claims do not match the schema${where} (${r.errors.length} errors)`, {
    details: { errors: r.errors },
  })
}

let shared: SchemaValidator | undefined

/**
 * Validate claims against a JSON Schema 2020-12 document with a shared, caching validator
 * (no remote refs). Pass your own `SchemaValidator` to allow refs to loaded schemas.
 * @example validateClaims(schema, { name: 'Ada' }) // { valid: false, errors: [{ path: '/degree', keyword: 'required', … }] }
 */
export function validateClaims(schema: unknown, claims: unknown, validator?: SchemaValidator): SchemaReport {
  shared ??= new SchemaValidator()
  return (validator ?? shared).validate(schema, claims)
}

/** Like `validateClaims`, but throws `schema.claims_invalid` (details.errors) when the claims do not match. */
export function assertClaims(schema: unknown, claims: unknown, validator?: SchemaValidator): void {
  const r = validateClaims(schema, claims, validator)
  if (!r.valid) throw claimsError(r)
}
