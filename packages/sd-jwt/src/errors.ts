import { VcError } from '@bonafide/core'

export const SD_JWT_ERROR_CODES = [
  'sd_jwt.malformed',
  'sd_jwt.too_large',
  'sd_jwt.too_many_disclosures',
  'sd_jwt.too_deep',
  'sd_jwt.disclosure_invalid',
  'sd_jwt.disclosure_duplicate',
  'sd_jwt.disclosure_unreferenced',
  'sd_jwt.disclosure_wrong_form',
  'sd_jwt.digest_duplicate',
  'sd_jwt.sd_invalid',
  'sd_jwt.array_digest_invalid',
  'sd_jwt.claim_name_reserved',
  'sd_jwt.claim_name_collision',
  'sd_jwt.hash_alg_unsupported',
  'sd_jwt.path_invalid',
  'sd_jwt.path_not_found',
  'sd_jwt.issuer_signature_invalid',
  'sd_jwt.issuer_key_unresolved',
  'sd_jwt.kb_required',
  'sd_jwt.kb_unexpected',
  'sd_jwt.kb_invalid',
  'sd_jwt.kb_typ_invalid',
  'sd_jwt.kb_signature_invalid',
  'sd_jwt.kb_iat_invalid',
  'sd_jwt.kb_nonce_mismatch',
  'sd_jwt.kb_aud_mismatch',
  'sd_jwt.kb_sd_hash_mismatch',
  'sd_jwt.kb_transaction_data_mismatch',
  'sd_jwt.cnf_missing',
  'sd_jwt.cnf_invalid',
  'sd_jwt.expired',
  'sd_jwt.not_yet_valid',
  'sd_jwt.iat_invalid',
  'sd_jwt.options_invalid',
] as const
export type SdJwtErrorCode = (typeof SD_JWT_ERROR_CODES)[number]

export class SdJwtError extends VcError<SdJwtErrorCode> {
  override name = 'SdJwtError'
}

export const SD_JWT_VC_ERROR_CODES = [
  'sd_jwt_vc.typ_invalid',
  'sd_jwt_vc.claim_missing',
  'sd_jwt_vc.claim_invalid',
  'sd_jwt_vc.claim_not_disclosable',
  'sd_jwt_vc.issuer_untrusted',
  'sd_jwt_vc.issuer_metadata_invalid',
  'sd_jwt_vc.status_invalid',
  'sd_jwt_vc.status_revoked',
  'sd_jwt_vc.status_suspended',
  'sd_jwt_vc.status_undetermined',
  'sd_jwt_vc.type_metadata_invalid',
  'sd_jwt_vc.type_metadata_integrity',
  'sd_jwt_vc.type_metadata_cycle',
  'sd_jwt_vc.batch_entry_invalid',
] as const
export type SdJwtVcErrorCode = (typeof SD_JWT_VC_ERROR_CODES)[number]

export class SdJwtVcError extends VcError<SdJwtVcErrorCode> {
  override name = 'SdJwtVcError'
}
