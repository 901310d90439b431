import { VcError } from '@bonafide/core'

/** Error codes thrown by `@bonafide/openid4vci` (wire errors are OAuthErrors with spec names). */
export const OPENID4VCI_ERROR_CODES = [
  'openid4vci.offer_invalid',
  'openid4vci.metadata_invalid',
  'openid4vci.config_invalid',
  'openid4vci.format_unknown',
  'openid4vci.token_failed',
  'openid4vci.credential_failed',
  'openid4vci.credential_invalid',
  'openid4vci.response_invalid',
  'openid4vci.claims_invalid',
] as const
export type Openid4vciErrorCode = (typeof OPENID4VCI_ERROR_CODES)[number]

export class Openid4vciError extends VcError<Openid4vciErrorCode> {
  override name = 'Openid4vciError'
}
