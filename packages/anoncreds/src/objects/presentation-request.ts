/**
 * Presentation request (AnonCreds v1 §Create Presentation Request; anoncreds-rs src/data_types/pres_request.rs).
 * `ver` absent or "1.0" is version 1, "2.0" version 2 (anoncreds-rs writes `ver` back on serialization; we keep
 * the input as given so a parse → serialize round trip is exact). The checks of `PresentationRequest::validate`
 * run at parse time: at least one requested attribute or predicate, each requested attribute has a non-empty
 * `name` or a non-empty `names` but not both, predicate names are non-empty, and restrictions parse. Its last
 * rule (a version-1 request may not put fully qualified identifiers in `issuer_did`, `cred_def_id`, `schema_id`,
 * `schema_issuer_did`, `rev_reg_id` restrictions) is NOT applied: anoncreds-rs never calls `validate()` on
 * presentation requests (not in the FFI, prover or verifier), and its own `create_presentation` doc example
 * breaks the rule. Callers that want it use `hasQualifiedIdentifier(restrictionQueryOf(info))`.
 */
import { z } from 'zod'
import { AnonCredsError } from '../errors.js'
import { LIMITS } from './limits.js'
import { parseRestrictions, type RestrictionQuery } from './restrictions.js'
import { type ParseOptions, parseObject, zI32, zMap, zName, zNonce, zU64 } from './wire.js'

export const zNonRevokedInterval = z.looseObject({ from: zU64.nullish(), to: zU64.nullish() })
export type NonRevokedInterval = z.output<typeof zNonRevokedInterval>

/** A restriction as JSON (kept verbatim); its query grammar is checked with `parseRestrictions`. */
export const zRestrictions = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).superRefine((v, ctx) => {
  try {
    parseRestrictions(v)
  } catch (e) {
    if (!(e instanceof AnonCredsError)) throw e
    const path = (e.details?.path as string[] | undefined) ?? []
    ctx.addIssue({
      code: 'custom',
      message: 'invalid restriction query',
      path,
      params: e.code === 'anoncreds.too_large' ? { anoncreds: 'too_large' } : undefined,
    })
  }
})

export const zAttributeInfo = z.looseObject({
  name: zName.nullish(),
  names: z.array(zName).max(LIMITS.maxNamesPerGroup).nullish(),
  restrictions: zRestrictions.nullish(),
  non_revoked: zNonRevokedInterval.nullish(),
})
export type AttributeInfo = z.output<typeof zAttributeInfo>

export const PREDICATE_TYPES = ['>=', '<=', '>', '<'] as const
export type PredicateType = (typeof PREDICATE_TYPES)[number]

export const zPredicateInfo = z.looseObject({
  name: zName,
  p_type: z.enum(PREDICATE_TYPES),
  p_value: zI32,
  restrictions: zRestrictions.nullish(),
  non_revoked: zNonRevokedInterval.nullish(),
})
export type PredicateInfo = z.output<typeof zPredicateInfo>

export const zPresentationRequest = z
  .looseObject({
    ver: z.enum(['1.0', '2.0']).nullish(),
    nonce: zNonce,
    name: zName,
    version: zName,
    requested_attributes: zMap(zAttributeInfo, LIMITS.maxReferents).optional(),
    requested_predicates: zMap(zPredicateInfo, LIMITS.maxReferents).optional(),
    non_revoked: zNonRevokedInterval.nullish(),
  })
  .superRefine((o, ctx) => {
    const attrs = Object.entries(o.requested_attributes ?? {})
    const preds = Object.entries(o.requested_predicates ?? {})
    if (attrs.length === 0 && preds.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'nothing requested', path: ['requested_attributes'] })
    }
    for (const [ref, a] of attrs) {
      const hasName = a.name != null && a.name !== ''
      const hasNames = a.names != null && a.names.length > 0
      if (!hasName && !hasNames)
        ctx.addIssue({ code: 'custom', message: 'requested attribute without name(s)', path: ['requested_attributes', ref] })
      if (hasName && hasNames)
        ctx.addIssue({ code: 'custom', message: 'both name and names', path: ['requested_attributes', ref] })
    }
    for (const [ref, p] of preds) {
      if (p.name === '')
        ctx.addIssue({ code: 'custom', message: 'empty predicate name', path: ['requested_predicates', ref, 'name'] })
    }
  })
export type PresentationRequest = z.output<typeof zPresentationRequest>

/** 1 for `ver` absent or "1.0", 2 for "2.0". */
export function presentationRequestVersion(req: PresentationRequest): 1 | 2 {
  return req.ver === '2.0' ? 2 : 1
}

/** The parsed restriction query of a requested attribute or predicate, if any. */
export function restrictionQueryOf(info: { restrictions?: unknown }): RestrictionQuery | undefined {
  return info.restrictions == null ? undefined : parseRestrictions(info.restrictions)
}

export function parsePresentationRequest(input: unknown, opts?: ParseOptions): PresentationRequest {
  return parseObject(zPresentationRequest, input, 'presentation_request', opts)
}
