import { VcError } from '@bonafide/core'

export const STATUS_LIST_ERROR_CODES = [
  'status_list.bits_invalid',
  'status_list.index_out_of_range',
  'status_list.value_out_of_range',
  'status_list.compressed_too_large',
  'status_list.inflated_too_large',
  'status_list.encoding_invalid',
  'status_list.token_invalid',
  'status_list.typ_invalid',
  'status_list.sub_mismatch',
  'status_list.expired',
  'status_list.signature_invalid',
  'status_list.untrusted',
  'status_list.reference_invalid',
  'status_list.purpose_mismatch',
  'status_list.list_full',
  'status_list.list_unknown',
  'status_list.fetch_failed',
] as const
export type StatusListErrorCode = (typeof STATUS_LIST_ERROR_CODES)[number]

export class StatusListError extends VcError<StatusListErrorCode> {
  override name = 'StatusListError'
}
