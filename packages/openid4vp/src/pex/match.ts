import { CredentialIndex, type CredentialRecord } from '../dcql/match.js'
import type { ClaimsPathPointer } from '../dcql/query.js'
import type { InputDescriptor, PresentationDefinition, SubmissionRequirement } from './definition.js'
import {
  acceptedAs,
  alwaysPresent,
  doctypeOk,
  evaluateFields,
  evaluationObject,
  type FieldMatch,
  overDisclosure,
} from './evaluate.js'
import { type FilterEvaluator, strictFilterEvaluator } from './filter.js'
import { requirementSatisfiable, selectDescriptors } from './requirements.js'

export interface PexCandidate {
  readonly record: CredentialRecord
  /** The designation to put in the descriptor_map (as the definition spells it). */
  readonly format: string
  readonly fields: readonly FieldMatch[]
  /** What to disclose: the location of every Field Query Result (mdoc: `[namespace, element]`). */
  readonly claims: readonly ClaimsPathPointer[]
  /** mso_mdoc: the elements the verifier said it intends to retain (PEX §Retention Feature). */
  readonly intentToRetain: readonly ClaimsPathPointer[]
  /** `required`: disclose no more than `claims` (PEX §Limited Disclosure Submissions). */
  readonly limitDisclosure?: 'required' | 'preferred'
}

export interface PexDescriptorMatch {
  readonly descriptorId: string
  readonly groups: readonly string[]
  readonly candidates: readonly PexCandidate[]
  readonly satisfied: boolean
}

export interface PexRequirementMatch {
  readonly index: number
  readonly rule: 'all' | 'pick'
  readonly satisfiable: boolean
}

export interface PexMatchResult {
  /** Whether the wallet can answer the whole definition (every descriptor, or the submission requirements). */
  readonly satisfied: boolean
  readonly descriptors: Readonly<Record<string, PexDescriptorMatch>>
  readonly requirements: readonly PexRequirementMatch[]
  /** Descriptor ids that together meet the requirements, when `satisfied` (a default the user may change). */
  readonly selection?: readonly string[]
}

function evaluate(
  pd: PresentationDefinition,
  d: InputDescriptor,
  r: CredentialRecord,
  ev: FilterEvaluator,
): PexCandidate | undefined {
  const format = acceptedAs(pd, d, r.format)
  if (!format || !doctypeOk(d, r.format, r.doctype)) return undefined
  // Predicates (PEX §Predicate Feature) need a proof system that derives them; none is supported here.
  if (d.constraints.fields?.some((f) => f.predicate === 'required')) return undefined
  const obj = evaluationObject(r.format, r.claims, r.vct !== undefined ? { vct: r.vct } : {})
  const res = evaluateFields(obj, d, ev)
  if (!res.ok) return undefined
  // §Input Evaluation step 3: a format without selective disclosure discloses everything, so under
  // limit_disclosure=required it may answer only when it holds nothing beyond the fields.
  if (
    d.constraints.limit_disclosure === 'required' &&
    !SELECTIVE.has(r.format) &&
    overDisclosure(r.format, r.claims, res.matches).length > 0
  )
    return undefined
  // `vct`, `iss`, … are in every presentation; only what is selectively disclosable is listed.
  const located = res.matches.filter((m) => m.location !== undefined && !alwaysPresent(r.format, m.location))
  return {
    record: r,
    format,
    fields: res.matches,
    claims: located.map((m) => m.location as ClaimsPathPointer),
    intentToRetain: located.filter((m) => m.intentToRetain).map((m) => m.location as ClaimsPathPointer),
    ...(d.constraints.limit_disclosure ? { limitDisclosure: d.constraints.limit_disclosure } : {}),
  }
}

/** Formats whose presentations disclose chosen claims only. */
const SELECTIVE = new Set(['dc+sd-jwt', 'mso_mdoc'])

const INDEXED_FORMATS = ['dc+sd-jwt', 'jwt_vc_json', 'jwt_vc_json-ld', 'ldp_vc']

function recordsFor(d: InputDescriptor, wallet: CredentialIndex | readonly CredentialRecord[]): readonly CredentialRecord[] {
  if (!(wallet instanceof CredentialIndex)) return wallet
  // PEX has no meta to prefilter on (types are constrained by fields), except that an mdoc
  // descriptor's id is its doctype: every record of the JSON formats, and the mdocs of that doctype.
  const q = (format: string, meta: Record<string, string>) =>
    wallet.prefilter({ id: d.id, format, multiple: false, meta, require_cryptographic_holder_binding: false })
  return [...new Set([...INDEXED_FORMATS.flatMap((f) => q(f, {})), ...q('mso_mdoc', { doctype_value: d.id })])]
}

/**
 * Evaluate a Presentation Definition against a wallet (PEX 2.1.1 §Input Evaluation): for every
 * input descriptor the credentials that satisfy its formats and fields, with the claims each must
 * disclose; and whether the submission requirements can be met. Takes the same decoded credential
 * records as `matchDcql`, so a wallet can answer either query language.
 *
 * @example
 * const m = matchPresentationDefinition(parsePresentationDefinition(request.presentation_definition), records)
 * if (m.satisfied) for (const id of m.selection ?? []) show(m.descriptors[id].candidates)
 */
export function matchPresentationDefinition(
  pd: PresentationDefinition,
  wallet: CredentialIndex | readonly CredentialRecord[],
  o: { filterEvaluator?: FilterEvaluator } = {},
): PexMatchResult {
  const ev = o.filterEvaluator ?? strictFilterEvaluator
  const descriptors: Record<string, PexDescriptorMatch> = {}
  for (const d of pd.input_descriptors) {
    const candidates = recordsFor(d, wallet).flatMap((r) => evaluate(pd, d, r, ev) ?? [])
    descriptors[d.id] = { descriptorId: d.id, groups: d.group ?? [], candidates, satisfied: candidates.length > 0 }
  }
  const available = new Set(
    Object.values(descriptors)
      .filter((d) => d.satisfied)
      .map((d) => d.descriptorId),
  )
  const requirements = (pd.submission_requirements ?? []).map((r: SubmissionRequirement, index) => ({
    index,
    rule: r.rule,
    satisfiable: requirementSatisfiable(pd, r, available),
  }))
  const selection = selectDescriptors(pd, available)
  return { satisfied: selection !== undefined, descriptors, requirements, ...(selection ? { selection } : {}) }
}
