/**
 * Credential (AnonCreds v1 §Constructing a Credential, §Supporting Revocation in a Credential; anoncreds-rs
 * src/data_types/credential.rs; signature types from anoncreds-clsignatures-rs src/types.rs).
 */
import { z } from 'zod'
import { zCredentialDefinitionId, zRevocationRegistryDefinitionId, zSchemaId } from './identifiers.js'
import { BIGINT_BITS, LIMITS } from './limits.js'
import { zNonRevocationCredentialSignature, zRevocationRegistry, zWitness } from './revocation.js'
import { type ParseOptions, parseObject, zDecimal, zEncoded, zMap, zRaw } from './wire.js'

/** `AttributeValues` { raw, encoded }: encoded is the decimal the issuer signed (see `encodeAttribute`). */
export const zAttributeValues = z.looseObject({ raw: zRaw, encoded: zEncoded })
export type AttributeValues = z.output<typeof zAttributeValues>

/** `CredentialValues`: attribute name → { raw, encoded }, non-empty. */
export const zCredentialValues = zMap(zAttributeValues, LIMITS.maxAttributes).refine((o) => Object.keys(o).length > 0, {
  message: 'values must not be empty',
})

/** `PrimaryCredentialSignature` { m_2, a, e, v }. */
export const zPrimaryCredentialSignature = z.looseObject({
  m_2: zDecimal(BIGINT_BITS.signatureM2),
  a: zDecimal(BIGINT_BITS.modulus),
  e: zDecimal(BIGINT_BITS.signatureE),
  v: zDecimal(BIGINT_BITS.response),
})

export const zCredentialSignature = z.looseObject({
  p_credential: zPrimaryCredentialSignature,
  r_credential: zNonRevocationCredentialSignature.nullish(),
})

/** `SignatureCorrectnessProof` { se, c }. */
export const zSignatureCorrectnessProof = z.looseObject({
  se: zDecimal(BIGINT_BITS.response),
  c: zDecimal(BIGINT_BITS.hash),
})

export const zCredential = z
  .looseObject({
    schema_id: zSchemaId,
    cred_def_id: zCredentialDefinitionId,
    rev_reg_id: zRevocationRegistryDefinitionId.nullish(),
    values: zCredentialValues,
    signature: zCredentialSignature,
    signature_correctness_proof: zSignatureCorrectnessProof,
    rev_reg: zRevocationRegistry.nullish(),
    witness: zWitness.nullish(),
  })
  .superRefine((o, ctx) => {
    // Credential::validate: a revocable credential carries its registry and witness
    if (o.rev_reg_id != null && (o.witness == null || o.rev_reg == null)) {
      ctx.addIssue({ code: 'custom', message: 'revocable credential without witness or rev_reg', path: ['rev_reg_id'] })
    }
  })
export type Credential = z.output<typeof zCredential>

export function parseCredential(input: unknown, opts?: ParseOptions): Credential {
  return parseObject(zCredential, input, 'credential', opts)
}
