import { parseWire } from '@bonafide/core'
import { z } from 'zod'

const zUrl = z.string().max(2048).url()
const zId = z.string().min(1).max(256)

export const zTxCode = z.looseObject({
  input_mode: z.enum(['numeric', 'text']).optional(),
  length: z.number().int().positive().max(64).optional(),
  description: z.string().max(300).optional(),
})

export const zCredentialOffer = z.looseObject({
  credential_issuer: zUrl,
  credential_configuration_ids: z.array(zId).min(1).max(64),
  grants: z
    .looseObject({
      authorization_code: z
        .looseObject({ issuer_state: z.string().max(2048).optional(), authorization_server: zUrl.optional() })
        .optional(),
      'urn:ietf:params:oauth:grant-type:pre-authorized_code': z
        .looseObject({
          'pre-authorized_code': z.string().min(1).max(2048),
          tx_code: zTxCode.optional(),
          authorization_server: zUrl.optional(),
        })
        .optional(),
    })
    .optional(),
})
export type CredentialOffer = z.output<typeof zCredentialOffer>

/** OpenID4VCI §4.1.1: a Credential Offer (untrusted input). */
export function parseCredentialOffer(input: unknown): CredentialOffer {
  return parseWire(zCredentialOffer, input, 'openid4vci.offer_invalid')
}

export const zCredentialConfiguration = z.looseObject({
  format: zId,
  scope: z.string().max(256).optional(),
  cryptographic_binding_methods_supported: z.array(z.string()).optional(),
  credential_signing_alg_values_supported: z.array(z.union([z.string(), z.number()])).optional(),
  proof_types_supported: z
    .record(
      z.string(),
      z.looseObject({
        proof_signing_alg_values_supported: z.array(z.string()).min(1),
        key_attestations_required: z
          .looseObject({
            key_storage: z.array(z.string()).min(1).optional(),
            user_authentication: z.array(z.string()).min(1).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
})

const zEncJwks = z
  .array(z.looseObject({ kty: z.string(), alg: z.string().optional(), kid: z.string().optional() }))
  .min(1)
  .max(16)

export const zIssuerMetadata = z.looseObject({
  credential_issuer: zUrl,
  authorization_servers: z.array(zUrl).min(1).optional(),
  credential_endpoint: zUrl,
  nonce_endpoint: zUrl.optional(),
  deferred_credential_endpoint: zUrl.optional(),
  notification_endpoint: zUrl.optional(),
  credential_request_encryption: z
    .looseObject({
      // A JWK Set; the 1.0 metadata example shows a bare array of JWKs, which is accepted and normalized.
      jwks: z.union([z.looseObject({ keys: zEncJwks }), zEncJwks.transform((keys) => ({ keys }))]),
      enc_values_supported: z.array(z.string()).min(1),
      encryption_required: z.boolean(),
    })
    .optional(),
  credential_response_encryption: z
    .looseObject({
      alg_values_supported: z.array(z.string()).min(1),
      enc_values_supported: z.array(z.string()).min(1),
      encryption_required: z.boolean(),
    })
    .optional(),
  batch_credential_issuance: z.looseObject({ batch_size: z.number().int().min(2) }).optional(),
  credential_configurations_supported: z.record(zId, zCredentialConfiguration),
})
export type IssuerMetadata = z.output<typeof zIssuerMetadata>

export function parseIssuerMetadata(input: unknown): IssuerMetadata {
  return parseWire(zIssuerMetadata, input, 'openid4vci.metadata_invalid')
}

export const zAsMetadata = z.looseObject({
  issuer: zUrl,
  token_endpoint: zUrl,
  authorization_endpoint: zUrl.optional(),
  pushed_authorization_request_endpoint: zUrl.optional(),
  dpop_signing_alg_values_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
})
export type AsMetadata = z.output<typeof zAsMetadata>

export function parseAsMetadata(input: unknown): AsMetadata {
  return parseWire(zAsMetadata, input, 'openid4vci.metadata_invalid')
}

export const zTokenResponse = z.looseObject({
  access_token: z.string().min(1).max(4096),
  token_type: z.string(),
  expires_in: z.number().optional(),
  authorization_details: z
    .array(z.looseObject({ type: z.string(), credential_identifiers: z.array(z.string()).optional() }))
    .optional(),
})
export type TokenResponse = z.output<typeof zTokenResponse>

export const zCredentialResponse = z.looseObject({
  credentials: z
    .array(z.looseObject({ credential: z.union([z.string().min(1), z.looseObject({})]) }))
    .min(1)
    .max(1000)
    .optional(),
  transaction_id: z.string().min(1).max(512).optional(),
  interval: z.number().positive().optional(),
  notification_id: z.string().min(1).max(512).optional(),
})
export type CredentialResponse = z.output<typeof zCredentialResponse>

/** Credential request body (OpenID4VCI §8.2). Unknown members are ignored. */
export const zCredentialRequest = z.looseObject({
  credential_configuration_id: zId.optional(),
  credential_identifier: zId.optional(),
  proofs: z
    .looseObject({
      jwt: z
        .array(
          z
            .string()
            .min(1)
            .max(64 * 1024),
        )
        .min(1)
        .max(1000)
        .optional(),
      attestation: z
        .array(
          z
            .string()
            .min(1)
            .max(64 * 1024),
        )
        .length(1)
        .optional(),
    })
    .optional(),
  credential_response_encryption: z
    .looseObject({ jwk: z.looseObject({}), enc: z.string(), zip: z.string().optional() })
    .optional(),
})
export type CredentialRequest = z.output<typeof zCredentialRequest>
