import {
  type AuthorizationRequest,
  type CredentialRecord,
  decodeTransactionData,
  Openid4vpError,
  type PlannedQuery,
  type PresentationPlan,
  selectClaims,
} from '@bonafide/openid4vp'
import {
  acceptedFormats,
  buildPresentationSubmission,
  matchPresentationDefinition,
  PexError,
  type PexMatchResult,
  type PresentationDefinition,
  unsatisfiedRequirements,
} from '@bonafide/openid4vp/pex'
import type { QueryLanguage, Selection } from './present.js'

/** An input descriptor as a plan query (queryId = the descriptor id), with what the verifier says about it. */
export interface PexPlannedQuery extends PlannedQuery {
  readonly name?: string
  readonly purpose?: string
  readonly groups: readonly string[]
}

/** A top-level submission requirement (PEX 2.1.1 §Submission Requirements) and whether the wallet can meet it. */
export interface PexPlannedRequirement {
  readonly index: number
  readonly rule: 'all' | 'pick'
  readonly name?: string
  readonly purpose?: string
  readonly satisfiable: boolean
}

/**
 * The plan of a Presentation Exchange request, in the shape of a DCQL plan (one query per input
 * descriptor, `multiple` false, `credentialSets` empty) so a consent screen shows both alike;
 * `kind`, the definition and its submission requirements tell the two apart.
 */
export interface PexPresentationPlan extends PresentationPlan {
  readonly kind: 'pex'
  readonly definition: { readonly id: string; readonly name?: string; readonly purpose?: string }
  readonly queries: readonly PexPlannedQuery[]
  readonly requirements: readonly PexPlannedRequirement[]
}

/** Whether a plan answers a Presentation Exchange request (else it is a DCQL plan). */
export function isPexPlan(plan: PresentationPlan): plan is PexPresentationPlan {
  return (plan as { kind?: unknown }).kind === 'pex'
}

type PexRequest = AuthorizationRequest & { readonly presentationDefinition: PresentationDefinition }

/** Transaction data (OpenID4VP drafts with PEX: `credential_ids` name input descriptors), as in a DCQL plan. */
function pexTransactionData(request: PexRequest, known?: readonly string[]) {
  const ids = new Set(request.presentationDefinition.input_descriptors.map((d) => d.id))
  return (request.transactionData ?? []).map((encoded) => {
    const t = decodeTransactionData(encoded)
    if (!t.credentialIds.every((id) => ids.has(id)))
      throw new Openid4vpError(
        'openid4vp.request_invalid',
        'transaction_data names an input descriptor the request does not have',
      )
    if (known && !known.includes(t.type))
      throw new Openid4vpError('openid4vp.request_invalid', 'transaction_data of a type this wallet does not support')
    return t
  })
}

/**
 * Roles relative to the default selection: without submission requirements every descriptor is
 * required; with them, a chosen descriptor is `required` when the default answer fails without it,
 * `optional` when it does not, and a descriptor not chosen is an `alternative`.
 */
function roleOf(pd: PresentationDefinition, m: PexMatchResult, id: string): PlannedQuery['role'] {
  if (!pd.submission_requirements) return 'required'
  if (!m.selection?.includes(id)) return 'alternative'
  return unsatisfiedRequirements(pd, new Set(m.selection.filter((x) => x !== id))).length > 0 ? 'required' : 'optional'
}

/**
 * Plan the answer to a Presentation Exchange request (PEX 2.1.1 §Input Evaluation via
 * `matchPresentationDefinition`): per input descriptor its candidates with the claims (and values)
 * each would disclose, the submission requirements, and a default selection (descriptor id → one credential id).
 *
 * @example const plan = planPexPresentation(request, records); if (plan.satisfiable) show(plan)
 */
export function planPexPresentation(
  request: PexRequest,
  records: readonly CredentialRecord[],
  o: { transactionDataTypes?: readonly string[] } = {},
): PexPresentationPlan {
  const pd = request.presentationDefinition
  const m = matchPresentationDefinition(pd, records)
  const td = pexTransactionData(request, o.transactionDataTypes)
  const queries: PexPlannedQuery[] = pd.input_descriptors.map((d) => {
    const candidates = (m.descriptors[d.id]?.candidates ?? []).map((c) => ({
      credentialId: c.record.id,
      record: c.record,
      claims: c.claims.map((path) => ({ path, values: selectClaims(c.record.claims, path, c.record.format) ?? [] })),
    }))
    return {
      queryId: d.id,
      format: m.descriptors[d.id]?.candidates[0]?.format ?? acceptedFormats(pd, d)?.join(', ') ?? 'any',
      multiple: false,
      role: roleOf(pd, m, d.id),
      candidates,
      transactionData: td.filter((t) => t.credentialIds.includes(d.id)).map((t) => t.type),
      groups: d.group ?? [],
      ...(d.name !== undefined ? { name: d.name } : {}),
      ...(d.purpose !== undefined ? { purpose: d.purpose } : {}),
    }
  })
  const selection: Record<string, string[]> = {}
  for (const id of m.selection ?? []) {
    const first = m.descriptors[id]?.candidates[0]
    if (first) selection[id] = [first.record.id]
  }
  return {
    kind: 'pex',
    verifier: {
      clientId: request.clientId,
      ...(request.verifierSubject ? { subject: request.verifierSubject } : {}),
      ...(request.responseUri ? { responseUri: request.responseUri } : {}),
    },
    definition: {
      id: pd.id,
      ...(pd.name !== undefined ? { name: pd.name } : {}),
      ...(pd.purpose !== undefined ? { purpose: pd.purpose } : {}),
    },
    queries,
    credentialSets: [],
    requirements: m.requirements.map((r) => {
      const sr = pd.submission_requirements?.[r.index]
      return {
        index: r.index,
        rule: r.rule,
        satisfiable: r.satisfiable,
        ...(sr?.name !== undefined ? { name: sr.name } : {}),
        ...(sr?.purpose !== undefined ? { purpose: sr.purpose } : {}),
      }
    }),
    satisfiable: m.satisfied,
    selection,
    transactionData: td.map((t) => ({ type: t.type, credentialIds: t.credentialIds })),
  }
}

/**
 * Check a (possibly user-edited) selection before any copy is taken: known descriptors, one
 * candidate credential each, transaction data answered, and the submission requirements met
 * (without them, every descriptor answered) — what `buildPresentationSubmission` would refuse later.
 */
export function checkPexSelection(pd: PresentationDefinition, plan: PresentationPlan, selection: Selection): void {
  const byId = new Map(plan.queries.map((q) => [q.queryId, q]))
  for (const [id, creds] of Object.entries(selection)) {
    const q = byId.get(id)
    if (!q)
      throw new Openid4vpError('openid4vp.unknown_query_id', 'selection names an input descriptor the request does not have')
    if (creds.length !== 1) throw new Openid4vpError('openid4vp.multiple_not_allowed', `descriptor ${id} takes one credential`)
    if (!q.candidates.some((k) => k.credentialId === creds[0]))
      throw new Openid4vpError('openid4vp.credential_missing', `credential is not a candidate for descriptor ${id}`)
  }
  const answered = new Set(Object.keys(selection))
  for (const t of plan.transactionData)
    if (!t.credentialIds.some((id) => answered.has(id)))
      throw new Openid4vpError('openid4vp.credential_missing', `transaction data ${t.type} needs one of its descriptors answered`)
  if (!pd.submission_requirements) {
    if (pd.input_descriptors.some((d) => !answered.has(d.id)))
      throw new PexError('openid4vp.pex_descriptor_missing', 'every input descriptor needs a presentation')
  } else if (unsatisfiedRequirements(pd, answered).length > 0)
    throw new PexError('openid4vp.pex_requirements_unsatisfied', 'the selection does not meet the submission requirements')
}

/**
 * Presentation Exchange as the wallet's query language: plan with `planPexPresentation`, check with
 * `checkPexSelection`, and send the presentations (one per descriptor, in selection order) as the
 * vp_token with the `presentation_submission` that maps each descriptor to its presentation.
 */
export function pexQueryLanguage(request: PexRequest, o: { transactionDataTypes?: readonly string[] } = {}): QueryLanguage {
  const pd = request.presentationDefinition
  return {
    plan: (records) => planPexPresentation(request, records, o),
    check: (plan, selection) => checkPexSelection(pd, plan, selection),
    respond(byQuery, targets) {
      const presentations = targets.map((t) => ({
        descriptorIds: t.queryId,
        format: t.format,
        presentation: byQuery[t.queryId]?.[0] ?? '',
      }))
      const built = buildPresentationSubmission({ definition: pd, presentations })
      return { vpToken: built.vpToken, presentationSubmission: built.presentationSubmission }
    },
  }
}
