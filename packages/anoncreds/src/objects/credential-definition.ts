/**
 * Credential definition and key correctness proof (AnonCreds v1 §Issuer Create and Publish Credential Definition
 * Object; anoncreds-rs src/data_types/cred_def.rs; CL types from anoncreds-clsignatures-rs src/types.rs).
 */
import { z } from 'zod'
import { zCredentialDefinitionId, zIssuerId, zSchemaId } from './identifiers.js'
import { BIGINT_BITS, LIMITS } from './limits.js'
import { type ParseOptions, parseObject, zDecimal, zMap, zName, zPointG1, zPointG2 } from './wire.js'

const mod = zDecimal(BIGINT_BITS.modulus)

/**
 * `CredentialPrimaryPublicKey`: n, s, r{attr → value} (including "master_secret"), rctxt, z, all decimal. The
 * pre-1.0 member `rms` (the link secret's r) is still read by clsignatures and merged into r.master_secret; here it
 * is kept as given.
 */
export const zCredentialPrimaryPublicKey = z.looseObject({
  n: mod,
  s: mod,
  r: zMap(mod, LIMITS.maxKeyAttributes),
  rctxt: mod,
  z: mod,
  rms: mod.optional(),
})
export type CredentialPrimaryPublicKey = z.output<typeof zCredentialPrimaryPublicKey>

/** `CredentialRevocationPublicKey`: BN254 points (G1 / G2) as AMCL hex strings. */
export const zCredentialRevocationPublicKey = z.looseObject({
  g: zPointG1,
  g_dash: zPointG2,
  h: zPointG1,
  h0: zPointG1,
  h1: zPointG1,
  h2: zPointG1,
  htilde: zPointG1,
  h_cap: zPointG2,
  u: zPointG2,
  pk: zPointG1,
  y: zPointG2,
})
export type CredentialRevocationPublicKey = z.output<typeof zCredentialRevocationPublicKey>

export const zCredentialDefinitionData = z.looseObject({
  primary: zCredentialPrimaryPublicKey,
  // Option<…> without skip on deserialize: absent and null both mean "no revocation support"
  revocation: zCredentialRevocationPublicKey.nullish(),
})

export const zCredentialDefinition = z.looseObject({
  // legacy Indy ledger members, ignored by anoncreds-rs
  ver: z.string().max(16).optional(),
  id: zCredentialDefinitionId.optional(),
  schemaId: zSchemaId,
  type: z.literal('CL'),
  tag: zName,
  value: zCredentialDefinitionData,
  issuerId: zIssuerId,
})
export type CredentialDefinition = z.output<typeof zCredentialDefinition>

/**
 * `CredentialKeyCorrectnessProof`: c (SHA-256 challenge), xz_cap, and xr_cap as an ARRAY of [name, value] pairs
 * (`Vec<(String, BigNumber)>`, serialized by serde as 2-element arrays), not an object.
 */
export const zKeyCorrectnessProof = z.looseObject({
  c: zDecimal(BIGINT_BITS.hash),
  xz_cap: zDecimal(BIGINT_BITS.response),
  xr_cap: z.array(z.tuple([zName, zDecimal(BIGINT_BITS.response)])).max(LIMITS.maxKeyAttributes),
})
export type KeyCorrectnessProof = z.output<typeof zKeyCorrectnessProof>

/** @example parseCredentialDefinition(json).value.primary.n // decimal string, ≤ 4096 bits */
export function parseCredentialDefinition(input: unknown, opts?: ParseOptions): CredentialDefinition {
  return parseObject(zCredentialDefinition, input, 'credential_definition', opts)
}

export function parseKeyCorrectnessProof(input: unknown, opts?: ParseOptions): KeyCorrectnessProof {
  return parseObject(zKeyCorrectnessProof, input, 'key_correctness_proof', opts)
}
