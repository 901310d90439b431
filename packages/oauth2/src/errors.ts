import { VcError } from '@bonafide/core'

/** Error codes thrown by `@bonafide/oauth2`. */
export const OAUTH2_ERROR_CODES = [
  'oauth2.body_too_large',
  'oauth2.body_invalid',
  'oauth2.content_type_invalid',
  'oauth2.pkce_invalid',
  'oauth2.dpop_invalid',
  'oauth2.client_attestation_invalid',
] as const
export type OAuth2ErrorCode = (typeof OAUTH2_ERROR_CODES)[number]

export class OAuth2Error extends VcError<OAuth2ErrorCode> {
  override name = 'OAuth2Error'
}
