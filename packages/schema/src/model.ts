import { type Clock, digest, hexEncode, parseWire, systemClock } from '@bonafide/core'
import { z } from 'zod'
import { deepFreeze, type JsonSchemaDocument, parseSchemaDocument, schemaHash } from './document.js'
import { SchemaError } from './errors.js'

/** One immutable version of a credential schema. */
export interface CredentialSchema {
  /** Stable id: `urn:uuid:` derived from name and version unless one was given. */
  readonly id: string
  readonly name: string
  /** Semantic version MAJOR.MINOR.PATCH. */
  readonly version: string
  readonly author: string
  readonly tags: readonly string[]
  readonly description?: string
  /** The JSON Schema 2020-12 document for the claims. */
  readonly schema: JsonSchemaDocument
  /** Where the schema is published, if anywhere. */
  readonly url?: string
  /** Milliseconds since the epoch, from the registry's clock. */
  readonly createdAt: number
  /** SHA-256 (base64url) of the canonical schema: equal content, equal hash. */
  readonly contentHash: string
}

/** What a caller gives to register a version. */
export interface CredentialSchemaInput {
  id?: string
  name: string
  version: string
  author: string
  tags?: readonly string[]
  description?: string
  schema: unknown
  url?: string
}

const SEMVER = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/

export type Semver = readonly [number, number, number]

/** Parse strict MAJOR.MINOR.PATCH (no leading zeros, no pre-release or build suffix). */
export function parseSemver(v: string): Semver {
  const m = typeof v === 'string' ? SEMVER.exec(v) : null
  if (!m) throw new SchemaError('schema.version_invalid', 'version must be MAJOR.MINOR.PATCH')
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

export function compareSemver(a: string, b: string): number {
  const x = parseSemver(a)
  const y = parseSemver(b)
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]
}

const zText = (max: number) => z.string().min(1).max(max)
const zInput = z.strictObject({
  id: z
    .string()
    .max(512)
    .regex(/^[a-z][a-z0-9+.-]*:\S+$/i)
    .optional(),
  name: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/),
  version: z.string().max(32),
  author: zText(256),
  tags: z.array(zText(64)).max(32).optional(),
  description: zText(4096).optional(),
  schema: z.unknown(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
})

/** A stable `urn:uuid` for name@version (UUID version 8 layout over SHA-256). */
export function schemaIdFor(name: string, version: string): string {
  const h = digest('sha-256', `bonafide-schema\u0000${name}\u0000${version}`).slice(0, 16)
  h[6] = ((h[6] as number) & 0x0f) | 0x80
  h[8] = ((h[8] as number) & 0x3f) | 0x80
  const x = hexEncode(h)
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

/**
 * Validate a registration input and build the frozen record (schema parsed strictly, tags
 * de-duplicated, id derived when absent). Stores reuse this so every registry stores the same shape.
 */
export function createSchemaRecord(input: unknown, clock: Clock = systemClock): CredentialSchema {
  const i = parseWire(zInput, input, 'schema.metadata_invalid')
  parseSemver(i.version)
  const schema = parseSchemaDocument(i.schema)
  return deepFreeze({
    id: i.id ?? schemaIdFor(i.name, i.version),
    name: i.name,
    version: i.version,
    author: i.author,
    tags: [...new Set(i.tags ?? [])],
    ...(i.description !== undefined ? { description: i.description } : {}),
    schema,
    ...(i.url !== undefined ? { url: i.url } : {}),
    createdAt: clock.now(),
    contentHash: schemaHash(schema),
  })
}

/** Same registration content (everything but `createdAt`)? Used to make re-adding idempotent. */
export function sameSchemaContent(a: CredentialSchema, b: CredentialSchema): boolean {
  return (
    a.id === b.id &&
    a.contentHash === b.contentHash &&
    a.author === b.author &&
    a.description === b.description &&
    a.url === b.url &&
    a.tags.length === b.tags.length &&
    a.tags.every((t, k) => b.tags[k] === t)
  )
}
