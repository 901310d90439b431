import { parseWire } from '@bonafide/core'
import { z } from 'zod'
import { SchemaError } from './errors.js'

// SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc-18 §4, sections numbered as in the draft's markdown): unknown members are kept (§4.2: ignore what is not understood).

const zPathComponent = z.union([z.string(), z.int().nonnegative(), z.null()])
export const zClaimDisplay = z.looseObject({ locale: z.string().min(1), label: z.string(), description: z.string().optional() })
export const zClaimMetadata = z.looseObject({
  path: z.array(zPathComponent).min(1),
  display: z.array(zClaimDisplay).optional(),
  mandatory: z.boolean().optional(),
  sd: z.enum(['always', 'allowed', 'never']).optional(),
  svg_id: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
})
export const zTypeDisplay = z.looseObject({
  locale: z.string().min(1),
  name: z.string(),
  description: z.string().optional(),
  rendering: z.record(z.string(), z.unknown()).optional(),
})
export const zTypeMetadata = z.looseObject({
  vct: z.string().min(1),
  name: z.string().optional(),
  description: z.string().optional(),
  extends: z.string().optional(),
  'extends#integrity': z.string().optional(),
  display: z.array(zTypeDisplay).optional(),
  claims: z.array(zClaimMetadata).optional(),
})

export type ClaimDisplay = z.output<typeof zClaimDisplay>
export type ClaimMetadata = z.output<typeof zClaimMetadata>
export type TypeDisplay = z.output<typeof zTypeDisplay>
/** A Type Metadata document (plain JSON; the same shape `@bonafide/sd-jwt`'s `TypeMetadata` carries). */
export type TypeMetadataDocument = z.output<typeof zTypeMetadata>

/**
 * Parse a Type Metadata document strictly enough to process claim metadata (§4.6: a claims entry
 * that does not conform makes processing fail): `path` non-empty of strings, non-negative
 * integers and nulls; `sd` one of always/allowed/never; `svg_id` well-formed and unique.
 */
export function parseTypeMetadata(input: unknown): TypeMetadataDocument {
  const doc = parseWire(zTypeMetadata, input, 'schema.type_metadata_invalid')
  const ids = new Set<string>()
  for (const c of doc.claims ?? []) {
    if (c.svg_id === undefined) continue
    if (ids.has(c.svg_id)) throw new SchemaError('schema.type_metadata_invalid', 'svg_id values must be unique (§4.6)')
    ids.add(c.svg_id)
  }
  return doc
}
