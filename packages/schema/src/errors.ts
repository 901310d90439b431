import { VcError } from '@bonafide/core'

/** Error codes thrown by `@bonafide/schema`. Pinned by test/error-codes.test.ts. */
export const SCHEMA_ERROR_CODES = [
  'schema.document_invalid',
  'schema.document_too_large',
  'schema.document_too_deep',
  'schema.ref_forbidden',
  'schema.id_conflict',
  'schema.claims_invalid',
  'schema.claims_too_large',
  'schema.metadata_invalid',
  'schema.version_invalid',
  'schema.version_exists',
  'schema.version_bump_required',
  'schema.type_metadata_invalid',
  'schema.doctype_invalid',
] as const
export type SchemaErrorCode = (typeof SCHEMA_ERROR_CODES)[number]

export class SchemaError extends VcError<SchemaErrorCode> {
  override name = 'SchemaError'
}
