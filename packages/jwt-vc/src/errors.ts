import { VcError } from '@bonafide/core'

/** Error codes thrown by `@bonafide/jwt-vc`. Pinned by test/error-codes.test.ts. */
export const JWT_VC_ERROR_CODES = [
  'jwt_vc.malformed',
  'jwt_vc.too_large',
  'jwt_vc.alg_invalid',
  'jwt_vc.typ_invalid',
  'jwt_vc.credential_invalid',
  'jwt_vc.claim_mismatch',
  'jwt_vc.issuer_untrusted',
  'jwt_vc.key_not_authorized',
  'jwt_vc.kid_invalid',
  'jwt_vc.signature_invalid',
  'jwt_vc.expired',
  'jwt_vc.not_yet_valid',
  'jwt_vc.iat_invalid',
  'jwt_vc.status_invalid',
  'jwt_vc.status_revoked',
  'jwt_vc.status_suspended',
  'jwt_vc.status_undetermined',
  'jwt_vc.schema_invalid',
  'jwt_vc.options_invalid',
  'jwt_vc.batch_entry_invalid',
  'jwt_vc.presentation_invalid',
  'jwt_vc.nonce_mismatch',
  'jwt_vc.aud_mismatch',
  'jwt_vc.holder_binding_missing',
  'jwt_vc.holder_binding_mismatch',
] as const
export type JwtVcErrorCode = (typeof JWT_VC_ERROR_CODES)[number]

export class JwtVcError extends VcError<JwtVcErrorCode> {
  override name = 'JwtVcError'
}
