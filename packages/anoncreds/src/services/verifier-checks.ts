/**
 * The checks a verifier makes between a presentation's `requested_proof` and the presentation request before the
 * cryptographic check (AnonCreds v1 §Verify Presentation; anoncreds-rs verifier.rs
 * `compare_attr_from_proof_and_request`, `verify_revealed_attribute_values`, `verify_requested_restrictions`),
 * plus those anoncreds-rs leaves out: raw values must encode to the encoded values, requested predicates must be
 * the ones proven, and unrevealed attributes must exist in the credential's schema. Each failure throws an
 * `AnonCredsError` whose code says which check failed; verifier.ts turns it into `{ valid: false }`.
 */
import { attrCommonView } from '../attribute-names.js'
import { comparePredicates } from '../cl/sub-proof-request.js'
import { isEncodingOf } from '../encoding.js'
import { AnonCredsError, type AnonCredsErrorCode } from '../errors.js'
import type { Presentation } from '../objects/presentation.js'
import { type AttributeInfo, type PresentationRequest, restrictionQueryOf } from '../objects/presentation-request.js'
import { type AttributeValueMap, isUnrestricted, type RestrictionFilter, restrictionHolds } from './restriction-check.js'
import { bigOf, clPredicateOf } from './wire.js'

/** One credential of the presentation, resolved by the verifier. */
export interface ResolvedSubProof {
  readonly filter: RestrictionFilter
  readonly proof: Presentation['proof']['proofs'][number]
}

export interface CheckContext {
  readonly presentation: Presentation
  readonly request: PresentationRequest
  readonly subProofs: readonly ResolvedSubProof[]
}

export const reject = (code: AnonCredsErrorCode, message: string, details?: Record<string, unknown>): never => {
  throw new AnonCredsError(code, message, details ? { details } : undefined)
}

const entriesOf = <T>(o: Readonly<Record<string, T>> | undefined): Array<[string, T]> => Object.entries(o ?? {})

/** Every requested referent answered exactly once, and nothing else answered (`compare_attr_from_proof_and_request`). */
export function checkReferents({ presentation, request }: CheckContext): void {
  const rp = presentation.requested_proof
  const answered = [
    ...Object.keys(rp.revealed_attrs),
    ...Object.keys(rp.revealed_attr_groups ?? {}),
    ...Object.keys(rp.unrevealed_attrs ?? {}),
    ...Object.keys(rp.self_attested_attrs ?? {}),
  ]
  compareSets(Object.keys(request.requested_attributes ?? {}), answered, 'attribute')
  compareSets(Object.keys(request.requested_predicates ?? {}), Object.keys(rp.predicates ?? {}), 'predicate')
}

function compareSets(requested: string[], answered: string[], what: string): void {
  const want = new Set(requested)
  const missing = requested.filter((r) => !answered.includes(r))
  const extra = answered.filter((r, i) => !want.has(r) || answered.indexOf(r) !== i)
  if (missing.length > 0 || extra.length > 0) {
    reject('anoncreds.request_unsatisfied', `Requested ${what}s do not correspond to received ones`, { missing, extra })
  }
}

/** Self-attested values only for requested attributes without restrictions (`is_self_attested`). */
export function checkSelfAttested({ presentation, request }: CheckContext): void {
  for (const referent of Object.keys(presentation.requested_proof.self_attested_attrs ?? {})) {
    if (!isUnrestricted(restrictionQueryOf(request.requested_attributes![referent]!))) {
      reject('anoncreds.self_attested_restricted', 'a restricted attribute was self-attested', { referent })
    }
  }
}

function subProofAt(ctx: CheckContext, index: number, referent: string): ResolvedSubProof {
  return ctx.subProofs[index] ?? reject('anoncreds.proof_invalid', 'CryptoProof not found by index', { referent })
}

/** `verify_revealed_attribute_value`, and (unless disabled) that `raw` encodes to `encoded`. */
function checkRevealedValue(
  sub: ResolvedSubProof,
  referent: string,
  name: string,
  value: { raw: string; encoded: string },
  checkRaw: boolean,
): void {
  const inProof = Object.entries(sub.proof.primary_proof.eq_proof.revealed_attrs).find(
    ([k]) => attrCommonView(k) === attrCommonView(name),
  )
  if (!inProof) reject('anoncreds.request_unsatisfied', 'Attribute not found in CryptoProof', { referent, attr_name: name })
  if (bigOf(inProof![1]) !== bigOf(value.encoded)) {
    reject('anoncreds.encoding_mismatch', 'Encoded values differ in RequestedProof and CryptoProof', {
      referent,
      attr_name: name,
    })
  }
  if (checkRaw && !isEncodingOf(value.raw, value.encoded)) {
    reject('anoncreds.encoding_mismatch', 'Revealed raw value does not encode to its encoded value', {
      referent,
      attr_name: name,
    })
  }
}

/** `verify_revealed_attribute_values`: `name` referents in revealed_attrs, `names` groups complete. */
export function checkRevealedValues(ctx: CheckContext, checkRaw: boolean): void {
  const { presentation, request } = ctx
  for (const [referent, info] of entriesOf(presentation.requested_proof.revealed_attrs)) {
    const name = request.requested_attributes![referent]!.name
    if (name == null) reject('anoncreds.request_unsatisfied', 'a names group was answered as a single attribute', { referent })
    checkRevealedValue(subProofAt(ctx, info.sub_proof_index, referent), referent, name!, info, checkRaw)
  }
  for (const [referent, group] of entriesOf(presentation.requested_proof.revealed_attr_groups)) {
    const names = request.requested_attributes![referent]!.names
    const given = Object.keys(group.values)
    if (names == null || given.length !== names.length || names.some((n) => !Object.hasOwn(group.values, n))) {
      reject('anoncreds.request_unsatisfied', 'Proof Revealed Attr Group does not match Proof Request Attribute Group', {
        referent,
      })
    }
    const sub = subProofAt(ctx, group.sub_proof_index, referent)
    for (const name of names!) checkRevealedValue(sub, referent, name, group.values[name]!, checkRaw)
  }
}

/** Unrevealed attributes exist in the credential they are claimed from. */
export function checkUnrevealed(ctx: CheckContext): void {
  for (const [referent, info] of entriesOf(ctx.presentation.requested_proof.unrevealed_attrs)) {
    const attr = ctx.request.requested_attributes![referent]!
    const sub = subProofAt(ctx, info.sub_proof_index, referent)
    for (const name of attributeNames(attr)) {
      if (!sub.filter.attributes.has(attrCommonView(name))) {
        reject('anoncreds.request_unsatisfied', 'unrevealed attribute is not in the credential', { referent, attr_name: name })
      }
    }
  }
}

const attributeNames = (info: AttributeInfo): string[] => (info.name != null ? [info.name] : [...(info.names ?? [])])

/** The attribute value map of a requested attribute (`verify_requested_restrictions`). */
function attributeValues(ctx: CheckContext, referent: string, info: AttributeInfo): Map<string, string | undefined> {
  const rp = ctx.presentation.requested_proof
  const revealed = rp.revealed_attrs[referent]
  const group = rp.revealed_attr_groups?.[referent]
  if (info.names != null && group === undefined) {
    reject('anoncreds.restriction_unsatisfied', 'Proof does not have referent from proof request', { referent })
  }
  return new Map(
    attributeNames(info).map((n) => [attrCommonView(n), info.name != null ? revealed?.raw : group?.values[n]?.raw] as const),
  )
}

/** The predicate's attribute (unrevealed) and every attribute the same credential reveals. */
function predicateValues(ctx: CheckContext, name: string, index: number): Map<string, string | undefined> {
  const rp = ctx.presentation.requested_proof
  const map = new Map<string, string | undefined>([[attrCommonView(name), undefined]])
  for (const [referent, info] of entriesOf(rp.revealed_attrs)) {
    const attrName = ctx.request.requested_attributes![referent]!.name
    if (info.sub_proof_index === index && attrName != null) map.set(attrCommonView(attrName), info.raw)
  }
  for (const group of Object.values(rp.revealed_attr_groups ?? {})) {
    if (group.sub_proof_index !== index) continue
    for (const [n, v] of Object.entries(group.values)) map.set(attrCommonView(n), v.raw)
  }
  return map
}

function checkRestriction(
  ctx: CheckContext,
  referent: string,
  info: { restrictions?: unknown },
  index: number,
  attrs: AttributeValueMap,
) {
  const query = restrictionQueryOf(info)
  if (query === undefined) return
  if (!restrictionHolds(query, attrs, subProofAt(ctx, index, referent).filter)) {
    reject('anoncreds.restriction_unsatisfied', 'Requested restriction validation failed', { referent })
  }
}

/** `verify_requested_restrictions` over every answered referent. */
export function checkRestrictions(ctx: CheckContext): void {
  const rp = ctx.presentation.requested_proof
  for (const [referent, info] of entriesOf(ctx.request.requested_attributes)) {
    const answer = rp.revealed_attrs[referent] ?? rp.revealed_attr_groups?.[referent] ?? rp.unrevealed_attrs?.[referent]
    if (answer === undefined) continue // self-attested: checkSelfAttested ruled out restrictions
    checkRestriction(ctx, referent, info, answer.sub_proof_index, attributeValues(ctx, referent, info))
  }
  for (const [referent, info] of entriesOf(ctx.request.requested_predicates)) {
    const index = rp.predicates![referent]!.sub_proof_index
    checkRestriction(ctx, referent, info, index, predicateValues(ctx, info.name, index))
  }
}

/** Each requested predicate (attribute, type, value) is one the credential's sub-proof proves. */
export function checkPredicates(ctx: CheckContext): void {
  for (const [referent, info] of entriesOf(ctx.request.requested_predicates)) {
    const sub = subProofAt(ctx, ctx.presentation.requested_proof.predicates![referent]!.sub_proof_index, referent)
    const want = clPredicateOf(info)
    if (!sub.proof.primary_proof.ge_proofs.some((ge) => comparePredicates(ge.predicate, want) === 0)) {
      reject('anoncreds.predicate_mismatch', 'the proof does not prove the requested predicate', { referent })
    }
  }
}

/**
 * Each sub-proof reveals exactly the attributes and proves exactly the predicates that `requested_proof` assigns to
 * it — what an honest anoncreds-rs or libindy prover makes. anoncreds-rs builds the CL sub-proof request from the
 * proof itself, so anything extra would be verified as asked: unrequested revealed attributes (with predicates on
 * them, bound to nothing) or padding that costs the verifier exponentiations. Checked before any arithmetic.
 */
export function checkSubProofShapes(ctx: CheckContext): void {
  const { presentation, request } = ctx
  const rp = presentation.requested_proof
  const revealed = ctx.subProofs.map(() => new Set<string>())
  const predicates = ctx.subProofs.map(() => [] as ReturnType<typeof clPredicateOf>[])
  const at = (i: number, referent: string) =>
    i >= 0 && i < ctx.subProofs.length ? i : reject('anoncreds.proof_invalid', 'CryptoProof not found by index', { referent })
  for (const [referent, info] of entriesOf(rp.revealed_attrs))
    revealed[at(info.sub_proof_index, referent)]!.add(attrCommonView(request.requested_attributes![referent]!.name ?? ''))
  for (const [referent, group] of entriesOf(rp.revealed_attr_groups))
    for (const n of Object.keys(group.values)) revealed[at(group.sub_proof_index, referent)]!.add(attrCommonView(n))
  for (const [referent, info] of entriesOf(rp.predicates))
    predicates[at(info.sub_proof_index, referent)]!.push(clPredicateOf(request.requested_predicates![referent]!))
  const used = new Set<number>([
    ...entriesOf(rp.revealed_attrs).map(([, x]) => x.sub_proof_index),
    ...entriesOf(rp.revealed_attr_groups).map(([, x]) => x.sub_proof_index),
    ...entriesOf(rp.unrevealed_attrs).map(([, x]) => x.sub_proof_index),
    ...entriesOf(rp.predicates).map(([, x]) => x.sub_proof_index),
  ])
  ctx.subProofs.forEach((sub, i) => {
    // a credential no referent uses would only cost the verifier exponentiations
    if (!used.has(i))
      reject('anoncreds.proof_invalid', 'a sub-proof answers none of the requested referents', { sub_proof_index: i })
    const primary = sub.proof.primary_proof
    const inProof = Object.keys(primary.eq_proof.revealed_attrs).map(attrCommonView)
    const want = revealed[i]!
    if (inProof.length !== want.size || inProof.some((a) => !want.has(a)))
      reject('anoncreds.proof_invalid', 'a sub-proof reveals other attributes than the request assigns to it', {
        sub_proof_index: i,
      })
    const proven = primary.ge_proofs.map((g) => ({ ...g.predicate, attr_name: attrCommonView(g.predicate.attr_name) }))
    const wanted = predicates[i]!.map((q) => ({ ...q, attr_name: attrCommonView(q.attr_name) }))
    const same = (a: typeof proven) => [...a].sort(comparePredicates)
    // one predicate proof per distinct predicate: provers keep them in a set (clsignatures `SubProofRequest`), so two
    // referents asking the same of one credential share a proof, and a repeated proof is refused
    const y = same(wanted).filter((q, k, a) => k === 0 || comparePredicates(a[k - 1]!, q) !== 0)
    const x = same(proven)
    if (x.length !== y.length || x.some((q, k) => comparePredicates(q, y[k]!) !== 0))
      reject('anoncreds.predicate_mismatch', 'a sub-proof proves other predicates than the request assigns to it', {
        sub_proof_index: i,
      })
  })
}
