/**
 * Revocation objects (AnonCreds v1 §Issuer Create and Publish Revocation Registry Objects; anoncreds-rs
 * src/data_types/rev_reg_def.rs, rev_status_list.rs, rev_reg.rs; CL types from anoncreds-clsignatures-rs).
 * Group elements are BN254 points as AMCL hex strings, checked for syntax only.
 */
import { z } from 'zod'
import { zCredentialDefinitionId, zIssuerId, zRevocationRegistryDefinitionId } from './identifiers.js'
import { LIMITS } from './limits.js'
import { type ParseOptions, parseObject, zGroupOrderElement, zName, zPair, zPointG1, zPointG2, zU32, zU64 } from './wire.js'

/** `RevocationKeyPublic` { z: Pair }. */
export const zRevocationKeyPublic = z.looseObject({ z: zPair })

/** Tails file reference: where to download the tails file and its expected base58 SHA-256 hash. */
export const zTailsFileReference = z.object({
  tailsHash: z.string().min(1).max(LIMITS.maxStringLength),
  tailsLocation: z.string().min(1).max(LIMITS.maxStringLength),
})
export type TailsFileReference = z.output<typeof zTailsFileReference>

export const zRevocationRegistryDefinitionValue = z.looseObject({
  maxCredNum: zU32,
  publicKeys: z.looseObject({ accumKey: zRevocationKeyPublic }),
  tailsHash: zTailsFileReference.shape.tailsHash,
  tailsLocation: zTailsFileReference.shape.tailsLocation,
})

export const zRevocationRegistryDefinition = z.looseObject({
  issuerId: zIssuerId,
  revocDefType: z.literal('CL_ACCUM'),
  tag: zName,
  credDefId: zCredentialDefinitionId,
  value: zRevocationRegistryDefinitionValue,
})
export type RevocationRegistryDefinition = z.output<typeof zRevocationRegistryDefinition>

/** The tails file reference of a registry definition. */
export function tailsFileReference(def: RevocationRegistryDefinition): TailsFileReference {
  return { tailsHash: def.value.tailsHash, tailsLocation: def.value.tailsLocation }
}

/**
 * `RevocationStatusList`: `revocationList` is a JSON array of 0/1 (a bit per credential index), the accumulator
 * is serialized as `currentAccumulator` (serde also reads the alias `accum`; we normalize it to
 * `currentAccumulator`, and refuse both at once as serde's duplicate-field check does).
 */
export const zRevocationStatusList = z
  .looseObject({
    revRegDefId: zRevocationRegistryDefinitionId.nullish(),
    issuerId: zIssuerId,
    revocationList: z.array(z.union([z.literal(0), z.literal(1)])).max(LIMITS.maxRevocationListLength),
    currentAccumulator: zPointG2.nullish(),
    accum: zPointG2.nullish(),
    timestamp: zU64.nullish(),
  })
  .superRefine((o, ctx) => {
    if (o.accum != null && o.currentAccumulator != null) {
      ctx.addIssue({ code: 'custom', message: 'both currentAccumulator and its alias accum', path: ['accum'] })
    }
  })
  .transform(({ accum, ...rest }) => (accum != null ? { ...rest, currentAccumulator: accum } : rest))
export type RevocationStatusList = z.output<typeof zRevocationStatusList>

/** Credential-side revocation members (anoncreds-clsignatures-rs `RevocationRegistry`, `Witness`). */
export const zRevocationRegistry = z.looseObject({ accum: zPointG2 })
export const zWitness = z.looseObject({ omega: zPointG2 })

/** `NonRevocationCredentialSignature` (the `r_credential` of a revocable credential). */
export const zNonRevocationCredentialSignature = z.looseObject({
  sigma: zPointG1,
  c: zGroupOrderElement,
  vr_prime_prime: zGroupOrderElement,
  witness_signature: z.looseObject({ sigma_i: zPointG2, u_i: zPointG2, g_i: zPointG1 }),
  g_i: zPointG1,
  i: zU32,
  m2: zGroupOrderElement,
})

export function parseRevocationRegistryDefinition(input: unknown, opts?: ParseOptions): RevocationRegistryDefinition {
  return parseObject(zRevocationRegistryDefinition, input, 'revocation_registry_definition', opts)
}

export function parseRevocationStatusList(input: unknown, opts?: ParseOptions): RevocationStatusList {
  return parseObject(zRevocationStatusList, input, 'revocation_status_list', {
    maxJsonBytes: opts?.maxJsonBytes ?? LIMITS.maxRevocationStatusListJsonBytes,
  })
}
