import { VcError } from '@bonafide/core'

export const OPENID4VP_ERROR_CODES = [
  'openid4vp.dcql_invalid',
  'openid4vp.claims_path_invalid',
  'openid4vp.vp_token_invalid',
  'openid4vp.unknown_query_id',
  'openid4vp.multiple_not_allowed',
  'openid4vp.format_mismatch',
  'openid4vp.format_unsupported',
  'openid4vp.claims_not_disclosed',
  'openid4vp.meta_mismatch',
  'openid4vp.credential_missing',
  'openid4vp.replay',
  'openid4vp.status_revoked',
  'openid4vp.status_suspended',
  'openid4vp.status_undetermined',
  'openid4vp.request_invalid',
  'openid4vp.client_untrusted',
  'openid4vp.session_unknown',
  'openid4vp.response_invalid',
] as const
export type Openid4vpErrorCode = (typeof OPENID4VP_ERROR_CODES)[number]

export class Openid4vpError extends VcError<Openid4vpErrorCode> {
  override name = 'Openid4vpError'
}
