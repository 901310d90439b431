import { VcError } from '@bonafide/core'

export const DID_ERROR_CODES = [
  'did.invalid',
  'did.method_unsupported',
  'did.key_unsupported',
  'did.fragment_unknown',
  'did.relationship_missing',
  'did.base58_invalid',
  'did.document_invalid',
  'did.resolution_failed',
] as const
export type DidErrorCode = (typeof DID_ERROR_CODES)[number]

export class DidError extends VcError<DidErrorCode> {
  override name = 'DidError'
}
