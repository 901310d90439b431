import { VcError } from '@bonafide/core'

export const COSE_ERROR_CODES = [
  'cose.cbor_malformed',
  'cose.cbor_truncated',
  'cose.cbor_trailing_bytes',
  'cose.cbor_too_large',
  'cose.cbor_too_deep',
  'cose.cbor_unsupported',
  'cose.cbor_duplicate_key',
  'cose.cbor_not_canonical',
  'cose.structure_invalid',
  'cose.alg_unsupported',
  'cose.signature_invalid',
] as const
export type CoseErrorCode = (typeof COSE_ERROR_CODES)[number]

export class CoseError extends VcError<CoseErrorCode> {
  override name = 'CoseError'
}
