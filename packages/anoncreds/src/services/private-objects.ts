/**
 * The objects anoncreds-rs keeps private to one party: the issuer's `CredentialDefinitionPrivate`
 * ({ value: { p_key: { p, q }, r_key } }, clsignatures `CredentialPrivateKey`) and the holder's
 * `CredentialRequestMetadata` ({ link_secret_blinding_data: { v_prime, vr_prime }, nonce, link_secret_name }).
 * Never logged; errors carry paths only.
 */
import { z } from 'zod'
import { BIGINT_BITS } from '../objects/limits.js'
import { type ParseOptions, parseObject, zDecimal, zGroupOrderElement, zName, zNonce } from '../objects/wire.js'

export const zCredentialDefinitionPrivate = z.looseObject({
  value: z.looseObject({
    // p' and q' (half the bits of n)
    p_key: z.looseObject({ p: zDecimal(BIGINT_BITS.modulus), q: zDecimal(BIGINT_BITS.modulus) }),
    // CredentialRevocationPrivateKey { x, sk } when the definition supports revocation (not handled here yet)
    r_key: z.looseObject({ x: zGroupOrderElement, sk: zGroupOrderElement }).nullish(),
  }),
})
export type CredentialDefinitionPrivate = z.output<typeof zCredentialDefinitionPrivate>

export function parseCredentialDefinitionPrivate(input: unknown, opts?: ParseOptions): CredentialDefinitionPrivate {
  return parseObject(zCredentialDefinitionPrivate, input, 'credential_definition_private', opts)
}

export const zCredentialRequestMetadata = z.looseObject({
  link_secret_blinding_data: z.looseObject({
    v_prime: zDecimal(BIGINT_BITS.response),
    vr_prime: zGroupOrderElement.nullish(),
  }),
  nonce: zNonce,
  link_secret_name: zName,
})
export type CredentialRequestMetadata = z.output<typeof zCredentialRequestMetadata>

export function parseCredentialRequestMetadata(input: unknown, opts?: ParseOptions): CredentialRequestMetadata {
  return parseObject(zCredentialRequestMetadata, input, 'credential_request_metadata', opts)
}
