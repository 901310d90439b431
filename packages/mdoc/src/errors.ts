import { VcError } from '@bonafide/core'

export const MDOC_ERROR_CODES = [
  'mdoc.structure_invalid',
  'mdoc.doctype_mismatch',
  'mdoc.digest_mismatch',
  'mdoc.digest_missing',
  'mdoc.digest_duplicate',
  'mdoc.digest_alg_unsupported',
  'mdoc.issuer_untrusted',
  'mdoc.issuer_signature_invalid',
  'mdoc.validity_invalid',
  'mdoc.expired',
  'mdoc.not_yet_valid',
  'mdoc.device_key_invalid',
  'mdoc.batch_entry_invalid',
  'mdoc.device_signature_invalid',
  'mdoc.device_auth_unsupported',
  'mdoc.element_missing',
] as const
export type MdocErrorCode = (typeof MDOC_ERROR_CODES)[number]

export class MdocError extends VcError<MdocErrorCode> {
  override name = 'MdocError'
}
