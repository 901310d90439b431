/**
 * Presentation (AnonCreds v1 §Generate Presentation, §The Presentation; anoncreds-rs
 * src/data_types/presentation.rs; proof types from anoncreds-clsignatures-rs src/types.rs).
 */
import { z } from 'zod'
import { zCredentialDefinitionId, zRevocationRegistryDefinitionId, zSchemaId } from './identifiers.js'
import { BIGINT_BITS, LIMITS } from './limits.js'
import {
  type ParseOptions,
  parseObject,
  zDecimal,
  zEncoded,
  zGroupOrderElement,
  zI32,
  zMap,
  zName,
  zPointG1,
  zPointG2,
  zRaw,
  zU32,
  zU64,
} from './wire.js'

const mod = zDecimal(BIGINT_BITS.modulus)
const mHat = zDecimal(BIGINT_BITS.proofMHat)
const mjU = zDecimal(BIGINT_BITS.proofMjU)

/**
 * `PrimaryEqualProof`: revealed_attrs (attribute → encoded value; may be a negative 32-bit integer), a_prime, e, v,
 * m (attribute → m̂, including master_secret), m2. The pre-1.0 member `m1` (merged into m.master_secret by
 * clsignatures) is typed when present.
 */
export const zPrimaryEqualProof = z.looseObject({
  revealed_attrs: zMap(zEncoded, LIMITS.maxKeyAttributes),
  a_prime: mod,
  e: zDecimal(BIGINT_BITS.proofEHat),
  v: zDecimal(BIGINT_BITS.proofVHat),
  m: zMap(mHat, LIMITS.maxKeyAttributes),
  m1: mHat.optional(),
  m2: zDecimal(BIGINT_BITS.proofM2Hat),
})

/** clsignatures `Predicate` inside a ge proof: p_type is the Rust enum name here, not ">=". */
export const zCLPredicate = z.looseObject({
  attr_name: zName,
  p_type: z.enum(['GE', 'LE', 'GT', 'LT']),
  value: zI32,
})

/** `PrimaryPredicateInequalityProof` (serialized under the name `ge_proofs`). */
export const zPrimaryPredicateInequalityProof = z.looseObject({
  u: zMap(mjU, LIMITS.maxGeProofMapEntries),
  r: zMap(zDecimal(BIGINT_BITS.proofRHat), LIMITS.maxGeProofMapEntries),
  mj: mjU,
  alpha: zDecimal(BIGINT_BITS.proofAlphaHat),
  t: zMap(mod, LIMITS.maxGeProofMapEntries),
  predicate: zCLPredicate,
})

export const zPrimaryProof = z.looseObject({
  eq_proof: zPrimaryEqualProof,
  ge_proofs: z.array(zPrimaryPredicateInequalityProof).max(LIMITS.maxPredicatesPerSubProof),
})

const goe = zGroupOrderElement
/** `NonRevocProof` { x_list (group order elements), c_list (points) }. */
export const zNonRevocProof = z.looseObject({
  x_list: z.looseObject({
    rho: goe,
    r: goe,
    r_prime: goe,
    r_prime_prime: goe,
    r_prime_prime_prime: goe,
    o: goe,
    o_prime: goe,
    m: goe,
    m_prime: goe,
    t: goe,
    t_prime: goe,
    m2: goe.nullish(),
    s: goe,
    c: goe,
  }),
  c_list: z.looseObject({ e: zPointG1, d: zPointG1, a: zPointG1, g: zPointG1, w: zPointG2, s: zPointG2, u: zPointG2 }),
})

export const zSubProof = z.looseObject({
  primary_proof: zPrimaryProof,
  non_revoc_proof: zNonRevocProof.nullish(),
})

/** `AggregatedProof`: c_hash and c_list, a list of byte strings serialized by serde as arrays of 0..255. */
export const zAggregatedProof = z.looseObject({
  c_hash: zDecimal(BIGINT_BITS.hash),
  c_list: z.array(z.array(z.number().int().min(0).max(255)).max(LIMITS.maxCListEntryBytes)).max(LIMITS.maxCListEntries),
})

export const zProof = z.looseObject({
  proofs: z.array(zSubProof).max(LIMITS.maxSubProofs),
  aggregated_proof: zAggregatedProof,
})

const zSubProofReferent = z.looseObject({ sub_proof_index: zU32 })

export const zRequestedProof = z.looseObject({
  revealed_attrs: zMap(z.looseObject({ sub_proof_index: zU32, raw: zRaw, encoded: zEncoded }), LIMITS.maxReferents),
  revealed_attr_groups: zMap(
    z.looseObject({
      sub_proof_index: zU32,
      values: zMap(z.looseObject({ raw: zRaw, encoded: zEncoded }), LIMITS.maxNamesPerGroup),
    }),
    LIMITS.maxReferents,
  ).optional(),
  self_attested_attrs: zMap(zRaw, LIMITS.maxReferents).optional(),
  unrevealed_attrs: zMap(zSubProofReferent, LIMITS.maxReferents).optional(),
  predicates: zMap(zSubProofReferent, LIMITS.maxReferents).optional(),
})

export const zPresentationIdentifier = z.looseObject({
  schema_id: zSchemaId,
  cred_def_id: zCredentialDefinitionId,
  rev_reg_id: zRevocationRegistryDefinitionId.nullish(),
  timestamp: zU64.nullish(),
})

export const zPresentation = z.looseObject({
  proof: zProof,
  requested_proof: zRequestedProof,
  identifiers: z.array(zPresentationIdentifier).max(LIMITS.maxSubProofs),
})
export type Presentation = z.output<typeof zPresentation>
export type SubProof = z.output<typeof zSubProof>
export type RequestedProof = z.output<typeof zRequestedProof>

export function parsePresentation(input: unknown, opts?: ParseOptions): Presentation {
  return parseObject(zPresentation, input, 'presentation', opts)
}
