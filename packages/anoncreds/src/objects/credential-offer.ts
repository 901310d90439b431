/**
 * Credential offer (AnonCreds v1 §Credential Offer; anoncreds-rs src/data_types/cred_offer.rs).
 */
import { z } from 'zod'
import { zKeyCorrectnessProof } from './credential-definition.js'
import { zCredentialDefinitionId, zSchemaId } from './identifiers.js'
import { type ParseOptions, parseObject, zName, zNonce } from './wire.js'

export const zCredentialOffer = z.looseObject({
  schema_id: zSchemaId,
  cred_def_id: zCredentialDefinitionId,
  key_correctness_proof: zKeyCorrectnessProof,
  nonce: zNonce,
  method_name: zName.nullish(),
})
export type CredentialOffer = z.output<typeof zCredentialOffer>

export function parseCredentialOffer(input: unknown, opts?: ParseOptions): CredentialOffer {
  return parseObject(zCredentialOffer, input, 'credential_offer', opts)
}
