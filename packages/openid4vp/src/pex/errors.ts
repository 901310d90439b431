import { VcError } from '@bonafide/core'

/**
 * Error codes of the DIF Presentation Exchange 2.1.1 support (`@bonafide/openid4vp/pex`).
 * Response-level failures that PEX shares with DCQL (replay, status, no validator) keep the
 * `openid4vp.*` codes of `OPENID4VP_ERROR_CODES`.
 */
export const PEX_ERROR_CODES = [
  'openid4vp.pex_definition_invalid',
  'openid4vp.pex_submission_invalid',
  'openid4vp.pex_path_unsupported',
  'openid4vp.pex_filter_unsupported',
  'openid4vp.pex_definition_mismatch',
  'openid4vp.pex_unknown_descriptor',
  'openid4vp.pex_path_not_found',
  'openid4vp.pex_format_not_accepted',
  'openid4vp.pex_doctype_mismatch',
  'openid4vp.pex_field_unmatched',
  'openid4vp.pex_limit_disclosure',
  'openid4vp.pex_descriptor_missing',
  'openid4vp.pex_requirements_unsatisfied',
] as const
export type PexErrorCode = (typeof PEX_ERROR_CODES)[number]

export class PexError extends VcError<PexErrorCode> {
  override name = 'PexError'
}
