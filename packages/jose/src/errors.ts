import { VcError } from '@bonafide/core'

export const JOSE_ERROR_CODES = [
  'jose.malformed',
  'jose.token_too_large',
  'jose.header_invalid',
  'jose.payload_invalid',
  'jose.alg_none',
  'jose.alg_forbidden',
  'jose.alg_not_allowed',
  'jose.crit_unsupported',
  'jose.typ_invalid',
  'jose.signature_invalid',
  'jose.key_missing',
  'jose.claim_missing',
  'jose.claim_invalid',
  'jose.expired',
  'jose.not_yet_valid',
  'jose.iat_invalid',
  'jose.aud_mismatch',
  'jose.iss_mismatch',
  'jose.nonce_mismatch',
  'jose.x5c_invalid',
  'jose.x5c_untrusted',
  'jose.x5c_expired',
  'jose.x5c_self_signed',
] as const
export type JoseErrorCode = (typeof JOSE_ERROR_CODES)[number]

export class JoseError extends VcError<JoseErrorCode> {
  override name = 'JoseError'
}
