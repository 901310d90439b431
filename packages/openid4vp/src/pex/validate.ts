import {
  type Clock,
  type CredentialStatusResult,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  systemClock,
} from '@bonafide/core'
import type { DcqlCredentialQuery } from '../dcql/query.js'
import {
  type PresentationBinding,
  type PresentationValidator,
  presentationError,
  statusFailure,
  type ValidatedPresentation,
  type ValidationContext,
  validationContext,
} from '../validate.js'
import type { InputDescriptor, PresentationDefinition } from './definition.js'
import { acceptedAs, canonicalFormat, doctypeOk, evaluateFields, evaluationObject, overDisclosure } from './evaluate.js'
import { type FilterEvaluator, strictFilterEvaluator } from './filter.js'
import { evaluateJsonPath, formatLocation, parseJsonPath } from './jsonpath.js'
import { unsatisfiedRequirements } from './requirements.js'
import type { DescriptorMapEntry, NestedDescriptor, PresentationSubmission } from './submission.js'

export interface PexDescriptorOutcome {
  readonly descriptorId: string
  /** The format of the first descriptor_map entry (outermost level), when present. */
  readonly format?: string
  readonly present: boolean
  readonly valid: boolean
  readonly error?: { code: string; message: string }
  /** The verified claims of each entry for this descriptor (mdoc: `{ namespace: { element: value } }`). */
  readonly claims: readonly JsonObject[]
  readonly status?: readonly (CredentialStatusResult | undefined)[]
  /** Claims disclosed beyond the fields asked (normalized JSONPaths), per entry. */
  readonly overDisclosed?: readonly (readonly string[])[]
  /**
   * PEX §Retention Feature: the only claims the verifier may keep (normalized JSONPaths of the
   * fields with `intent_to_retain: true`), per entry; everything else is for this exchange only.
   */
  readonly retainable?: readonly (readonly string[])[]
}

export interface PexValidationResult {
  readonly valid: boolean
  readonly descriptors: readonly PexDescriptorOutcome[]
  /** Indices of top-level submission_requirements that are not met. */
  readonly unsatisfiedRequirements: readonly number[]
  readonly error?: { code: string; message: string }
}

/** `atomic` here: reject the whole response when any submitted descriptor fails (default true). */
export interface ValidatePexResponseOptions extends PresentationBinding {
  definition: PresentationDefinition
  submission: PresentationSubmission
  /** One presentation (string or object) or an array of them, as OpenID4VP drafts with PEX send it. */
  vpToken: unknown
  /** `limit_disclosure: required` and more was disclosed: 'reject' the descriptor (default) or only 'flag' it. */
  limitDisclosure?: 'reject' | 'flag'
  filterEvaluator?: FilterEvaluator
}

type Fail = { code: string; message: string }
const failure = (code: string, message: string): Fail => ({ code, message })

const errorOf = (e: unknown): Fail => presentationError(e)

function context(
  o: ValidatePexResponseOptions,
  d: InputDescriptor,
  format: string,
  outer: boolean,
  clock: Clock,
): ValidationContext {
  // The per-format validators read their binding policy from a DCQL credential query; this one
  // stands for the input descriptor. Holder binding is proven by the outermost presentation.
  const query: DcqlCredentialQuery = {
    id: d.id,
    format: canonicalFormat(format),
    multiple: false,
    meta: format === 'mso_mdoc' ? { doctype_value: d.id } : {},
    require_cryptographic_holder_binding: outer,
  }
  return validationContext(query, o, clock)
}

interface Run {
  o: ValidatePexResponseOptions
  validators: Map<string, PresentationValidator>
  clock: Clock
  /** Each (path chain, format) is verified once even when several descriptors point at it. */
  cache: Map<string, Promise<ValidatedPresentation>>
}

type Resolved = { format: string; v: ValidatedPresentation }

const VP_JWT = new Set(['jwt_vp_json', 'jwt_vp'])
const VC_JWT = new Set(['jwt_vc_json', 'jwt_vc'])

function firstCredentialOfVp(path: string): boolean {
  const names = parseJsonPath(path).segments.map((s) =>
    s.selector.kind === 'name' ? s.selector.name : s.selector.kind === 'index' ? s.selector.index : '*',
  )
  const at = names[0] === 'vp' ? 1 : 0
  return names.length === at + 2 && names[at] === 'verifiableCredential' && names[at + 1] === 0
}

/**
 * OpenID4VP 1.0's `jwt_vc_json` validator takes the VP JWT and returns its one credential. The
 * PEX way of saying the same, a `jwt_vp_json` entry whose last `path_nested` is the `jwt_vc_json`
 * at `$.vp.verifiableCredential[0]`, is validated by it when no `jwt_vp_json` validator is given.
 */
function collapsedVp(run: Run, level: NestedDescriptor): NestedDescriptor | undefined {
  const inner = level.path_nested
  if (!inner || inner.path_nested || !VP_JWT.has(level.format) || !VC_JWT.has(inner.format)) return undefined
  if (run.validators.has(level.format) || !run.validators.has('jwt_vc_json') || !firstCredentialOfVp(inner.path)) return undefined
  return { format: 'jwt_vc_json', path: level.path }
}

/** §Processing of Submission Entries: follow path (and path_nested), validating each level by its format. */
async function resolveEntry(run: Run, d: InputDescriptor, e: DescriptorMapEntry): Promise<Resolved | Fail> {
  let current: JsonValue = run.o.vpToken as JsonValue
  let key = ''
  let last: Resolved | undefined
  for (let depth = 0, level: NestedDescriptor | undefined = e; level; depth++, level = level.path_nested) {
    level = collapsedVp(run, level) ?? level
    const node = evaluateJsonPath(parseJsonPath(level.path), current)[0]
    if (!node) return failure('openid4vp.pex_path_not_found', 'a descriptor_map path selects nothing')
    const validator = run.validators.get(level.format) ?? run.validators.get(canonicalFormat(level.format))
    if (!validator) return failure('openid4vp.format_unsupported', 'no validator for this format')
    key += `\u0000${level.path}\u0000${level.format}`
    let p = run.cache.get(key)
    if (!p) run.cache.set(key, (p = validator.validate(node.value, context(run.o, d, level.format, depth === 0, run.clock))))
    try {
      last = { format: canonicalFormat(level.format), v: await p }
    } catch (err) {
      return errorOf(err)
    }
    current = last.v.claims
  }
  return last as Resolved
}

interface EntryResult {
  claims: JsonObject
  status?: CredentialStatusResult
  over: string[]
  retain: string[]
}

async function validateEntry(run: Run, d: InputDescriptor, e: DescriptorMapEntry): Promise<EntryResult | Fail> {
  const { o } = run
  const innermost = (x: NestedDescriptor): NestedDescriptor => (x.path_nested ? innermost(x.path_nested) : x)
  // The descriptor's `format` constrains the credential (innermost) or the envelope (outermost) format.
  if (!acceptedAs(o.definition, d, innermost(e).format) && !acceptedAs(o.definition, d, e.format))
    return failure('openid4vp.pex_format_not_accepted', 'the submitted format is not one the input descriptor accepts')
  const r = await resolveEntry(run, d, e)
  if ('code' in r) return r
  const { format, v } = r
  if (!doctypeOk(d, format, v.doctype))
    return failure('openid4vp.pex_doctype_mismatch', 'the mdoc doctype is not the input descriptor id')
  const refused = statusFailure(v.status, o.rejectUndeterminedStatus)
  if (refused) return refused
  const obj = evaluationObject(format, v.claims, { ...(v.vct ? { vct: v.vct } : {}), ...(v.issuer ? { issuer: v.issuer } : {}) })
  const fields = evaluateFields(obj, d, o.filterEvaluator ?? strictFilterEvaluator)
  if (!fields.ok) return failure('openid4vp.pex_field_unmatched', `constraints.fields[${fields.fieldIndex}] is not satisfied`)
  const over = overDisclosure(format, v.claims, fields.matches)
  if (d.constraints.limit_disclosure === 'required' && over.length > 0 && o.limitDisclosure !== 'flag')
    return failure('openid4vp.pex_limit_disclosure', 'claims were disclosed beyond the fields asked (limit_disclosure: required)')
  const retain = fields.matches.flatMap((m) => (m.intentToRetain && m.location ? [formatLocation(m.location)] : []))
  return { claims: v.claims, ...(v.status ? { status: v.status } : {}), over, retain }
}

async function validateDescriptor(
  run: Run,
  d: InputDescriptor,
  entries: readonly DescriptorMapEntry[],
): Promise<PexDescriptorOutcome> {
  const base = { descriptorId: d.id, present: entries.length > 0, ...(entries[0] ? { format: entries[0].format } : {}) }
  if (entries.length === 0)
    return {
      ...base,
      valid: false,
      claims: [],
      error: failure('openid4vp.pex_descriptor_missing', 'no submission for this input descriptor'),
    }
  const claims: JsonObject[] = []
  const status: (CredentialStatusResult | undefined)[] = []
  const over: string[][] = []
  const retain: string[][] = []
  for (const e of entries) {
    const r = await validateEntry(run, d, e)
    if ('code' in r) return { ...base, valid: false, claims: [], error: r }
    claims.push(r.claims)
    status.push(r.status)
    over.push(r.over)
    retain.push(r.retain)
  }
  return { ...base, valid: true, claims, status, overDisclosed: over, retainable: retain }
}

function vpTokenOk(t: unknown): boolean {
  const one = (x: unknown) => (typeof x === 'string' && x.length > 0) || isJsonObject(x)
  return one(t) || (Array.isArray(t) && t.length > 0 && t.length <= 64 && t.every(one))
}

/**
 * Validate a `vp_token` answering a Presentation Definition (PEX 2.1.1 with OpenID4VP): the
 * nonce is used once; `definition_id` must match; every descriptor_map entry names a known input
 * descriptor, is resolved by `path`/`path_nested` into the vp_token, has a format the descriptor
 * accepts, and passes the same per-format validator as DCQL responses; then the descriptor's
 * constraints.fields are evaluated on the verified claims, `limit_disclosure: required` is
 * enforced, and submission_requirements (or, without them, every descriptor) must be met.
 * Atomic by default: any failing submitted descriptor rejects the whole response.
 *
 * @example const r = await validatePexResponse({ definition, submission, vpToken, validators, clientId, nonce, nonceGuard })
 */
export async function validatePexResponse(o: ValidatePexResponseOptions): Promise<PexValidationResult> {
  const reject = (code: string, message: string): PexValidationResult => ({
    valid: false,
    descriptors: [],
    unsatisfiedRequirements: [],
    error: { code, message },
  })
  if (!(await o.nonceGuard.consume(o.nonce))) return reject('openid4vp.replay', 'this nonce was already used')
  if (o.submission.definition_id !== o.definition.id)
    return reject('openid4vp.pex_definition_mismatch', 'the submission answers another presentation definition')
  const byId = new Map(o.definition.input_descriptors.map((d) => [d.id, d]))
  if (o.submission.descriptor_map.some((e) => !byId.has(e.id)))
    return reject('openid4vp.pex_unknown_descriptor', 'descriptor_map names an input descriptor that was not asked')
  if (!vpTokenOk(o.vpToken))
    return reject('openid4vp.vp_token_invalid', 'vp_token must be a presentation or a non-empty array of them')
  const run: Run = {
    o,
    validators: new Map(o.validators.map((v) => [v.format, v])),
    clock: o.clock ?? systemClock,
    cache: new Map(),
  }
  const descriptors: PexDescriptorOutcome[] = []
  for (const d of o.definition.input_descriptors)
    descriptors.push(
      await validateDescriptor(
        run,
        d,
        o.submission.descriptor_map.filter((e) => e.id === d.id),
      ),
    )
  const ok = new Set(descriptors.filter((d) => d.valid).map((d) => d.descriptorId))
  const unsatisfied = unsatisfiedRequirements(o.definition, ok)
  const missing = o.definition.submission_requirements ? [] : descriptors.filter((d) => !d.valid)
  const failed = descriptors.find((d) => d.present && !d.valid)
  const valid = unsatisfied.length === 0 && missing.length === 0 && (o.atomic === false || !failed)
  if (valid) return { valid, descriptors, unsatisfiedRequirements: unsatisfied }
  const code =
    failed?.error?.code ??
    (unsatisfied.length > 0 ? 'openid4vp.pex_requirements_unsatisfied' : 'openid4vp.pex_descriptor_missing')
  return {
    valid,
    descriptors,
    unsatisfiedRequirements: unsatisfied,
    error: { code, message: 'the response does not satisfy the presentation definition' },
  }
}
