import { b64uEncode, type JsonObject, type RandomSource, systemRandom } from '@bonafide/core'
import type { PresentationDefinition } from './definition.js'
import { PexError } from './errors.js'
import { acceptedAs } from './evaluate.js'
import { unsatisfiedRequirements } from './requirements.js'
import { type DescriptorMapEntry, type PresentationSubmission, parsePresentationSubmission } from './submission.js'

export interface SubmissionPresentation {
  /** The input descriptor(s) this one presentation answers. */
  readonly descriptorIds: string | readonly string[]
  /** The credential's format (`dc+sd-jwt`, `mso_mdoc`, …); written as the definition spells it. */
  readonly format: string
  readonly presentation: string | JsonObject
}

export interface BuildSubmissionOptions {
  definition: PresentationDefinition
  /** In vp_token order. */
  presentations: readonly SubmissionPresentation[]
  /** The submission id; random by default. */
  id?: string
  random?: RandomSource
  /** A single presentation is sent as the vp_token itself (path `$`) unless this is false. */
  unwrapSingle?: boolean
}

export interface BuiltSubmission {
  readonly presentationSubmission: PresentationSubmission
  readonly vpToken: string | JsonObject | readonly (string | JsonObject)[]
}

/**
 * Build the `presentation_submission` and `vp_token` for the chosen presentations (PEX 2.1.1
 * §Presentation Submission): one descriptor_map entry per answered descriptor, `$` or `$[i]`
 * into the vp_token; refuses unknown descriptors, formats a descriptor does not accept and
 * selections that do not meet the submission requirements (or, without them, every descriptor).
 *
 * @example const { presentationSubmission, vpToken } = buildPresentationSubmission({ definition, presentations: [{ descriptorIds: 'pid', format: 'dc+sd-jwt', presentation: sdJwt }] })
 */
export function buildPresentationSubmission(o: BuildSubmissionOptions): BuiltSubmission {
  const byId = new Map(o.definition.input_descriptors.map((d) => [d.id, d]))
  const single = o.presentations.length === 1 && o.unwrapSingle !== false
  const map: DescriptorMapEntry[] = []
  o.presentations.forEach((p, i) => {
    for (const id of typeof p.descriptorIds === 'string' ? [p.descriptorIds] : p.descriptorIds) {
      const d = byId.get(id)
      if (!d) throw new PexError('openid4vp.pex_unknown_descriptor', 'no input descriptor has this id')
      const format = acceptedAs(o.definition, d, p.format)
      if (!format) throw new PexError('openid4vp.pex_format_not_accepted', 'the input descriptor does not accept this format')
      map.push({ id, format, path: single ? '$' : `$[${i}]` })
    }
  })
  const submitted = new Set(map.map((e) => e.id))
  if (unsatisfiedRequirements(o.definition, submitted).length > 0)
    throw new PexError(
      'openid4vp.pex_requirements_unsatisfied',
      'the chosen presentations do not meet the submission requirements',
    )
  if (!o.definition.submission_requirements && o.definition.input_descriptors.some((d) => !submitted.has(d.id)))
    throw new PexError('openid4vp.pex_descriptor_missing', 'every input descriptor needs a presentation')
  const presentationSubmission = parsePresentationSubmission({
    id: o.id ?? b64uEncode((o.random ?? systemRandom).bytes(16)),
    definition_id: o.definition.id,
    descriptor_map: map,
  })
  const items = o.presentations.map((p) => p.presentation)
  return { presentationSubmission, vpToken: single ? (items[0] as string | JsonObject) : items }
}
