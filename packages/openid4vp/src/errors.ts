import { VcError } from '@bonafide/core'

export const OPENID4VP_ERROR_CODES = ['openid4vp.dcql_invalid', 'openid4vp.claims_path_invalid'] as const
export type Openid4vpErrorCode = (typeof OPENID4VP_ERROR_CODES)[number]

export class Openid4vpError extends VcError<Openid4vpErrorCode> {
  override name = 'Openid4vpError'
}
