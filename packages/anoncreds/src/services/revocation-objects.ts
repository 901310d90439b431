/**
 * The revocation objects anoncreds-rs keeps private to one party: the issuer's `RevocationRegistryDefinitionPrivate`
 * ({ value: { gamma } }, clsignatures `RevocationKeyPrivate`) and the holder's `CredentialRevocationState`
 * ({ witness: { omega }, rev_reg: { accum }, timestamp }, anoncreds-rs src/services/types.rs). Never logged; errors
 * carry paths only.
 */
import { z } from 'zod'
import { zRevocationRegistry, zWitness } from '../objects/revocation.js'
import { type ParseOptions, parseObject, zGroupOrderElement, zU64 } from '../objects/wire.js'

export const zRevocationRegistryDefinitionPrivate = z.looseObject({
  value: z.looseObject({ gamma: zGroupOrderElement }),
})
export type RevocationRegistryDefinitionPrivate = z.output<typeof zRevocationRegistryDefinitionPrivate>

export function parseRevocationRegistryDefinitionPrivate(
  input: unknown,
  opts?: ParseOptions,
): RevocationRegistryDefinitionPrivate {
  return parseObject(zRevocationRegistryDefinitionPrivate, input, 'revocation_registry_definition_private', opts)
}

/** `CredentialRevocationState::validate`: the timestamp must not be 0. */
export const zCredentialRevocationState = z.looseObject({
  witness: zWitness,
  rev_reg: zRevocationRegistry,
  timestamp: zU64.min(1),
})
export type CredentialRevocationState = z.output<typeof zCredentialRevocationState>

export function parseCredentialRevocationState(input: unknown, opts?: ParseOptions): CredentialRevocationState {
  return parseObject(zCredentialRevocationState, input, 'credential_revocation_state', opts)
}
