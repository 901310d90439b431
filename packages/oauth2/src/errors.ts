import { VcError } from '@bonafide/core'

/** Error codes thrown by `@bonafide/oauth2` (wire errors are OAuthErrors with RFC names). */
export const OAUTH2_ERROR_CODES = ['oauth2.dpop_invalid'] as const
export type OAuth2ErrorCode = (typeof OAUTH2_ERROR_CODES)[number]

export class OAuth2Error extends VcError<OAuth2ErrorCode> {
  override name = 'OAuth2Error'
}
