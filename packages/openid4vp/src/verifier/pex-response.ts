import { isVcError, type JsonObject } from '@bonafide/core'
import { type PresentationDefinition, parsePresentationDefinition } from '../pex/definition.js'
import { acceptedFormats } from '../pex/evaluate.js'
import { type PresentationSubmission, parsePresentationSubmission, parseVpTokenParam } from '../pex/submission.js'
import { type PexValidationResult, type ValidatePexResponseOptions, validatePexResponse } from '../pex/validate.js'
import type { QueryOutcome, ResponseValidationResult } from '../validate.js'

/** A PEX session's outcome before its state is recorded: the DCQL-shaped view plus the full PEX result. */
export type PexSessionOutcome = ResponseValidationResult & { readonly pex?: PexValidationResult }

export type PexSessionResponseOptions = Omit<ValidatePexResponseOptions, 'definition' | 'submission' | 'vpToken'> & {
  /** The definition the session stored (parsed again: stores hand back plain JSON). */
  definition: JsonObject
}

const reject = (code: string, message: string): PexSessionOutcome => ({
  valid: false,
  credentials: [],
  unsatisfiedSets: [],
  error: { code, message },
})

/** The response parameters of the PEX path: `presentation_submission` and `vp_token`, each exactly once. */
function pexParams(form: URLSearchParams): { submission: PresentationSubmission; vpToken: unknown } | PexSessionOutcome {
  const subs = form.getAll('presentation_submission')
  if (subs.length !== 1)
    return reject('openid4vp.pex_submission_invalid', 'a Presentation Exchange response carries one presentation_submission')
  const tokens = form.getAll('vp_token')
  if (tokens.length !== 1) return reject('openid4vp.vp_token_invalid', 'a response carries one vp_token')
  try {
    return { submission: parsePresentationSubmission(subs[0]), vpToken: parseVpTokenParam(tokens[0]) }
  } catch (e) {
    if (!isVcError(e)) throw e
    return reject(e.code, e.message)
  }
}

/** The input descriptors' outcomes as QueryOutcomes (queryId = descriptor id), so callers read one shape. */
function asOutcome(pd: PresentationDefinition, r: PexValidationResult): PexSessionOutcome {
  const credentials: QueryOutcome[] = r.descriptors.map((d) => {
    const desc = pd.input_descriptors.find((x) => x.id === d.descriptorId)
    return {
      queryId: d.descriptorId,
      format: d.format ?? (desc ? acceptedFormats(pd, desc)?.[0] : undefined) ?? '',
      valid: d.valid,
      present: d.present,
      claims: d.claims,
      ...(d.status ? { status: d.status } : {}),
      ...(d.overDisclosed ? { overDisclosed: d.overDisclosed } : {}),
      ...(d.error ? { error: d.error } : {}),
    }
  })
  return { valid: r.valid, credentials, unsatisfiedSets: [], ...(r.error ? { error: r.error } : {}), pex: r }
}

/**
 * Validate a `direct_post(.jwt)` response to a Presentation Exchange request: `presentation_submission`
 * (form parameter, or a member of the decrypted JWE) parsed strictly, `vp_token` as the PEX drafts send it,
 * then `validatePexResponse` (nonce once, definition_id, descriptor_map, per-format validators, fields,
 * submission requirements). Never throws for what the wallet sent: failures become a rejected outcome.
 */
export async function validatePexSessionResponse(
  form: URLSearchParams,
  o: PexSessionResponseOptions,
): Promise<PexSessionOutcome> {
  const definition = parsePresentationDefinition(o.definition)
  const params = pexParams(form)
  if ('valid' in params) return params
  const r = await validatePexResponse({ ...o, definition, submission: params.submission, vpToken: params.vpToken })
  return asOutcome(definition, r)
}
