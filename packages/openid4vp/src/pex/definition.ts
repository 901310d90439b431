import type { JsonValue } from '@bonafide/core'
import { z } from 'zod'
import { type FilterEvaluator, strictFilterEvaluator } from './filter.js'
import { parseJsonPath } from './jsonpath.js'
import { fail, PEX_LIMITS, parsePexWire } from './wire.js'

/**
 * Claim Format Designations (DIF claim-format-registry, OpenID4VP 1.0 Appendix B and the drafts
 * that used PEX). `vc+sd-jwt` is the pre-2024 name of `dc+sd-jwt`; both are accepted and treated
 * as the same format.
 */
export const PEX_FORMAT_DESIGNATIONS = [
  'dc+sd-jwt',
  'vc+sd-jwt',
  'mso_mdoc',
  'jwt_vc_json',
  'jwt_vp_json',
  'jwt_vc_json-ld',
  'jwt_vp_json-ld',
  'ldp_vc',
  'ldp_vp',
  'jwt',
  'jwt_vc',
  'jwt_vp',
  'ldp',
  'di',
  'di_vc',
  'di_vp',
  'ac_vc',
  'ac_vp',
] as const

const str = z.string().max(PEX_LIMITS.string)
const id = z.string().min(1).max(256)
const algs = z.array(str).min(1).max(32)

const zFormatEntry = z.looseObject({
  alg: algs.optional(),
  proof_type: algs.optional(),
  'sd-jwt_alg_values': algs.optional(),
  'kb-jwt_alg_values': algs.optional(),
})
const zFormat = z.record(str, zFormatEntry)
export type ClaimFormatDesignations = z.output<typeof zFormat>

const zDirective = z.enum(['required', 'preferred'])

const zField = z.looseObject({
  id: id.optional(),
  path: z.array(str).min(1).max(PEX_LIMITS.paths),
  purpose: str.optional(),
  name: str.optional(),
  filter: z.json().optional(),
  optional: z.boolean().optional(),
  intent_to_retain: z.boolean().optional(),
  predicate: zDirective.optional(),
})
export type PexField = z.output<typeof zField>

const zFieldRef = z.looseObject({ field_id: z.array(id).min(1).max(PEX_LIMITS.fields), directive: zDirective })
const zStatus = z.looseObject({
  directive: z.enum(['required', 'allowed', 'disallowed']),
  type: z.array(str).min(1).max(16).optional(),
})

const zConstraints = z.looseObject({
  fields: z.array(zField).max(PEX_LIMITS.fields).optional(),
  limit_disclosure: zDirective.optional(),
  statuses: z.looseObject({ active: zStatus.optional(), suspended: zStatus.optional(), revoked: zStatus.optional() }).optional(),
  subject_is_issuer: zDirective.optional(),
  is_holder: z.array(zFieldRef).max(PEX_LIMITS.fields).optional(),
  same_subject: z.array(zFieldRef).max(PEX_LIMITS.fields).optional(),
})
export type PexConstraints = z.output<typeof zConstraints>

const zInputDescriptor = z.looseObject({
  id,
  name: str.optional(),
  purpose: str.optional(),
  format: zFormat.optional(),
  group: z.array(id).min(1).max(PEX_LIMITS.groups).optional(),
  constraints: zConstraints,
})
export type InputDescriptor = z.output<typeof zInputDescriptor>

export interface SubmissionRequirement {
  readonly rule: 'all' | 'pick'
  readonly from?: string
  readonly from_nested?: readonly SubmissionRequirement[]
  readonly count?: number
  readonly min?: number
  readonly max?: number
  readonly name?: string
  readonly purpose?: string
}

const zSubmissionRequirement: z.ZodType<SubmissionRequirement> = z.lazy(() =>
  z.looseObject({
    rule: z.enum(['all', 'pick']),
    from: id.optional(),
    from_nested: z.array(zSubmissionRequirement).min(1).max(PEX_LIMITS.requirements).optional(),
    count: z.int().min(1).max(1000).optional(),
    min: z.int().min(0).max(1000).optional(),
    max: z.int().min(1).max(1000).optional(),
    name: str.optional(),
    purpose: str.optional(),
  }),
)

const zPresentationDefinition = z.looseObject({
  id,
  name: str.optional(),
  purpose: str.optional(),
  format: zFormat.optional(),
  input_descriptors: z.array(zInputDescriptor).max(PEX_LIMITS.descriptors),
  submission_requirements: z.array(zSubmissionRequirement).min(1).max(PEX_LIMITS.requirements).optional(),
  frame: z.record(z.string(), z.json()).optional(),
})
export type PresentationDefinition = z.output<typeof zPresentationDefinition>

export interface ParseDefinitionOptions {
  /** Evaluates `filter` schemas; parsing compiles every filter once so an unsupported one fails here. */
  filterEvaluator?: FilterEvaluator
  /** Format designations to accept beyond PEX_FORMAT_DESIGNATIONS. */
  extraFormats?: readonly string[]
}

const bad = (where: string, what: string) => fail('openid4vp.pex_definition_invalid', where, what)

function checkFormats(f: ClaimFormatDesignations | undefined, where: string, known: ReadonlySet<string>): void {
  if (!f) return
  const keys = Object.keys(f)
  if (keys.length === 0 || keys.length > 32) bad(where, 'must name one or more claim formats')
  for (const k of keys) if (!known.has(k)) bad(where, 'names an unknown claim format designation')
}

function checkRequirement(r: SubmissionRequirement, where: string, groups: ReadonlySet<string>, depth: number): void {
  if (depth > PEX_LIMITS.nesting) bad(where, 'from_nested is nested too deeply')
  // PEX 2.1.1 §Submission Requirement Objects: exactly one of from / from_nested, else an error.
  if ((r.from === undefined) === (r.from_nested === undefined)) bad(where, 'needs exactly one of from and from_nested')
  if (r.rule === 'all' && (r.count !== undefined || r.min !== undefined || r.max !== undefined))
    bad(where, 'count, min and max belong to pick rules')
  if (r.min !== undefined && r.max !== undefined && r.max < r.min) bad(where, 'max is below min')
  if (r.count !== undefined && r.max !== undefined && r.count > r.max) bad(where, 'count exceeds max')
  if (r.count !== undefined && r.min !== undefined && r.count < r.min) bad(where, 'count is below min')
  if (r.from !== undefined && !groups.has(r.from)) bad(`${where}.from`, 'names a group no input descriptor belongs to')
  for (const [i, n] of (r.from_nested ?? []).entries()) checkRequirement(n, `${where}.from_nested[${i}]`, groups, depth + 1)
}

function checkDescriptor(
  d: InputDescriptor,
  i: number,
  fieldIds: Set<string>,
  evaluator: FilterEvaluator,
  known: ReadonlySet<string>,
): void {
  const w = `input_descriptors[${i}]`
  checkFormats(d.format, `${w}.format`, known)
  for (const [j, f] of (d.constraints.fields ?? []).entries()) {
    const fw = `${w}.constraints.fields[${j}]`
    for (const p of f.path) parseJsonPath(p)
    if (f.id !== undefined) {
      if (fieldIds.has(f.id)) bad(`${fw}.id`, 'is not unique within the definition')
      fieldIds.add(f.id)
    }
    if (f.predicate !== undefined && f.filter === undefined) bad(fw, 'a predicate needs a filter')
    if (f.filter !== undefined) evaluator.compile(f.filter as JsonValue)
  }
}

/**
 * Parse a Presentation Definition strictly (PEX 2.1.1 §Presentation Definition, §Input
 * Descriptor, §Submission Requirement Feature): size limits, unique input descriptor and field
 * ids, known claim format designations, every JSONPath in the supported subset, every filter
 * compiled by the evaluator, submission requirements well formed with every descriptor grouped and
 * every `from` naming a group. Unknown members are ignored, as the specification requires.
 *
 * @example const pd = parsePresentationDefinition(request.presentation_definition)
 */
export function parsePresentationDefinition(input: unknown, o: ParseDefinitionOptions = {}): PresentationDefinition {
  const pd = parsePexWire(zPresentationDefinition, input, 'openid4vp.pex_definition_invalid')
  const known = new Set<string>([...PEX_FORMAT_DESIGNATIONS, ...(o.extraFormats ?? [])])
  checkFormats(pd.format, 'format', known)
  const ids = new Set<string>()
  const fieldIds = new Set<string>()
  const groups = new Set<string>()
  for (const [i, d] of pd.input_descriptors.entries()) {
    if (ids.has(d.id)) bad(`input_descriptors[${i}].id`, 'is not unique')
    ids.add(d.id)
    for (const g of d.group ?? []) groups.add(g)
    checkDescriptor(d, i, fieldIds, o.filterEvaluator ?? strictFilterEvaluator, known)
  }
  for (const [i, d] of pd.input_descriptors.entries()) {
    for (const ref of [...(d.constraints.is_holder ?? []), ...(d.constraints.same_subject ?? [])])
      for (const f of ref.field_id)
        if (!fieldIds.has(f)) bad(`input_descriptors[${i}].constraints`, 'refers to an unknown field id')
  }
  if (pd.submission_requirements) {
    // §Submission Requirements: when present, all input descriptors MUST be grouped.
    pd.input_descriptors.forEach((d, i) => {
      if (!d.group) bad(`input_descriptors[${i}].group`, 'is required when submission_requirements are present')
    })
    for (const [i, r] of pd.submission_requirements.entries()) checkRequirement(r, `submission_requirements[${i}]`, groups, 1)
  }
  return pd
}
