import { Buffer } from 'node:buffer'
import { digest, isJsonObject, type JsonObject, utf8Encode } from '@bonafide/core'
import type { ClaimPath } from './claim-path.js'
import { samePath } from './claim-path.js'
import { SchemaError } from './errors.js'
import type { CredentialSchema } from './model.js'
import type { ClaimDisplay, ClaimMetadata, TypeDisplay, TypeMetadataDocument } from './type-metadata.wire.js'

export interface CreateTypeMetadataOptions {
  /** The type identifier the credentials carry in `vct`. */
  vct: string
  /** Developer-facing name and description (default: the record's name and description). */
  name?: string
  description?: string
  /** Locale of the generated display entries (default `en`). */
  locale?: string
  /** Type display (§4.5); default one entry from the schema's `title` or the record name. */
  display?: TypeDisplay[]
  /** Default `sd` for generated claim metadata (omitted when not set: the spec's default is `allowed`). */
  sd?: 'always' | 'allowed' | 'never'
  /** Per-claim overrides, matched by `path`, merged over the generated entries (or appended). */
  claims?: ClaimMetadata[]
  extends?: string
  'extends#integrity'?: string
  /**
   * Draft -12 removed `schema`/`schema_uri` from Type Metadata; some ecosystems still read them.
   * `embed` adds `schema`, `uri` adds `schema_uri` (the record's `url`) with `schema_uri#integrity`
   * over the bytes of `schemaDocumentBytes(record)`. Consumers of -18 ignore both (§4.2).
   */
  schemaMember?: 'embed' | 'uri'
}

/** JWT claims registered by SD-JWT VC §2.2.2.3 (not credential subject data): no claim metadata for them. */
const REGISTERED = new Set(['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status', 'sub', 'iat', 'aka_vcts'])
const MAX_CLAIMS = 1000

/** W3C SRI integrity metadata (`sha256-<base64>`) over a document's bytes (SD-JWT VC §5). */
export function documentIntegrity(bytes: Uint8Array | string, alg: 'sha256' | 'sha384' | 'sha512' = 'sha256'): string {
  const d = digest(`sha-${alg.slice(3)}` as 'sha-256', typeof bytes === 'string' ? utf8Encode(bytes) : bytes)
  return `${alg}-${Buffer.from(d).toString('base64')}`
}

/** The exact bytes to publish at a schema's `url` so `schema_uri#integrity` matches. */
export function schemaDocumentBytes(record: CredentialSchema): Uint8Array {
  return utf8Encode(JSON.stringify(record.schema))
}

/** The exact bytes to publish for a Type Metadata document (what `vct#integrity` is computed over). */
export function typeMetadataBytes(doc: TypeMetadataDocument): Uint8Array {
  return utf8Encode(JSON.stringify(doc))
}

/**
 * Build an SD-JWT VC Type Metadata document (§4.2) from a registered schema: one claim metadata
 * entry per property (nested objects by key, array items by `null`), `mandatory` where the
 * property and all its parents are required, labels from `title` or the property name, and a
 * unique `svg_id` per claim. Plain JSON; publish it with `typeMetadataBytes`.
 * @example createTypeMetadata(record, { vct: 'https://issuer.example/degree/v1', sd: 'always' })
 */
export function createTypeMetadata(record: CredentialSchema, o: CreateTypeMetadataOptions): TypeMetadataDocument {
  const locale = o.locale ?? 'en'
  const title = typeof record.schema.title === 'string' ? record.schema.title : record.name
  const generated = claimsFromSchema(record.schema, locale, o.sd)
  const claims = mergeClaims(generated, o.claims ?? [])
  const description = o.description ?? record.description
  const doc: TypeMetadataDocument = {
    vct: o.vct,
    name: o.name ?? record.name,
    ...(description !== undefined ? { description } : {}),
    ...(o.extends !== undefined ? { extends: o.extends } : {}),
    ...(o['extends#integrity'] !== undefined ? { 'extends#integrity': o['extends#integrity'] } : {}),
    display: o.display ?? [{ locale, name: title, ...(description !== undefined ? { description } : {}) }],
    claims,
  }
  if (o.schemaMember === 'embed') doc.schema = record.schema as JsonObject
  if (o.schemaMember === 'uri') {
    if (!record.url) throw new SchemaError('schema.type_metadata_invalid', 'schema_uri needs a record with a url')
    doc.schema_uri = record.url
    doc['schema_uri#integrity'] = documentIntegrity(schemaDocumentBytes(record))
  }
  return doc
}

function claimsFromSchema(schema: JsonObject, locale: string, sd: ClaimMetadata['sd']): ClaimMetadata[] {
  const out: ClaimMetadata[] = []
  const ids = new Set<string>()
  const walk = (node: JsonObject, path: ClaimPath, mandatory: boolean, depth: number): void => {
    if (depth > 16 || !isJsonObject(node.properties)) return
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : [])
    for (const [name, sub] of Object.entries(node.properties)) {
      if (path.length === 0 && REGISTERED.has(name)) continue
      if (!isJsonObject(sub) || out.length >= MAX_CLAIMS) continue
      const p = [...path, name]
      const isMandatory = mandatory && required.has(name)
      const label = typeof sub.title === 'string' ? sub.title : name
      const display: ClaimDisplay = {
        locale,
        label,
        ...(typeof sub.description === 'string' ? { description: sub.description } : {}),
      }
      out.push({
        path: p,
        display: [display],
        ...(isMandatory ? { mandatory: true } : {}),
        ...(sd ? { sd } : {}),
        svg_id: uniqueSvgId(p, ids),
      })
      walk(sub, p, isMandatory, depth + 1)
      if (isJsonObject(sub.items)) walk(sub.items, [...p, null], false, depth + 1)
    }
  }
  walk(schema, [], true, 0)
  return out
}

/** `svg_id`: alphanumerics and underscores, not starting with a digit, unique in the document (§4.6). */
function uniqueSvgId(path: ClaimPath, ids: Set<string>): string {
  let base = path
    .filter((c) => c !== null)
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_')
  if (!base || /^\d/.test(base)) base = `_${base}`
  let id = base
  for (let n = 2; ids.has(id); n++) id = `${base}_${n}`
  ids.add(id)
  return id
}

function mergeClaims(generated: ClaimMetadata[], overrides: ClaimMetadata[]): ClaimMetadata[] {
  const out = generated.map((c) => ({ ...c }))
  for (const o of overrides) {
    const k = out.findIndex((c) => samePath(c.path, o.path))
    if (k >= 0) out[k] = { ...out[k], ...o } as ClaimMetadata
    else out.push(o)
  }
  return out
}
