/**
 * Schema (AnonCreds v1 §Schema Publisher: Publish Schema Object; anoncreds-rs src/data_types/schema.rs).
 * serde reads `name`, `version`, `attrNames`, `issuerId` and ignores other members; the legacy Indy ledger members
 * `ver`, `id` and `seqNo` are typed here when present and otherwise passed through like any unknown member.
 */
import { z } from 'zod'
import { zIssuerId, zSchemaId } from './identifiers.js'
import { LIMITS } from './limits.js'
import { type ParseOptions, parseObject, zName, zU64 } from './wire.js'

/** anoncreds-rs `AttributeNames::validate`: non-empty, unique, at most MAX_ATTRIBUTES_COUNT (125). */
export const zAttributeNames = z
  .array(zName)
  .min(1)
  .max(LIMITS.maxAttributes)
  .refine((a) => new Set(a).size === a.length, { message: 'attribute names must be unique' })

export const zSchema = z.looseObject({
  ver: z.string().max(16).optional(),
  id: zSchemaId.optional(),
  name: zName,
  version: zName,
  attrNames: zAttributeNames,
  issuerId: zIssuerId,
  // libindy's SchemaV1 writes "seqNo": null (Option<u32> without skip_serializing_if)
  seqNo: zU64.nullish(),
})
export type Schema = z.output<typeof zSchema>

/**
 * @example parseSchema('{"name":"gvt","version":"1.0","attrNames":["age"],"issuerId":"mock:uri"}')
 */
export function parseSchema(input: unknown, opts?: ParseOptions): Schema {
  return parseObject(zSchema, input, 'schema', opts)
}
