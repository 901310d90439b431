import type { JsonObject } from '@bonafide/core'
import type { PublicJwk } from '@bonafide/keys'
import type { ResponseEnc } from '../encryption.js'
import { Openid4vpError } from '../errors.js'

/**
 * The query of a request, exactly one of: `dcql_query` (OpenID4VP 1.0 §5.1, §6) or the legacy
 * `presentation_definition` (DIF Presentation Exchange 2.1.1, as the drafts before 1.0 used it;
 * 1.0 defines only dcql_query, so this is for ecosystems that have not moved yet).
 */
export type RequestQueryInput =
  | { dcql: JsonObject; presentationDefinition?: undefined }
  | { presentationDefinition: JsonObject; dcql?: undefined }

export type RequestPayloadInput = RequestPayloadBase & RequestQueryInput

export interface RequestPayloadBase {
  clientId: string
  /** Omitted for unsigned DC API requests only. */
  withClientId: boolean
  responseMode: 'direct_post' | 'direct_post.jwt' | 'dc_api' | 'dc_api.jwt'
  responseUri?: string
  nonce: string
  state?: string
  transactionData?: string[]
  /** Encrypted response modes: the session's public key and the content encryption values offered. */
  encryption?: { jwk: PublicJwk; encs: readonly ResponseEnc[] }
  expectedOrigins?: string[]
  walletNonce?: string
  /** Seconds since the epoch; signed request objects get iat/exp and aud (§5.8). */
  now?: number
}

/** The authorization request parameters (§5.1), as request object claims or, unsigned, as URL parameters. */
export function requestPayload(i: RequestPayloadInput): JsonObject {
  if ((i.dcql === undefined) === (i.presentationDefinition === undefined))
    throw new Openid4vpError(
      'openid4vp.request_invalid',
      'a request carries exactly one of dcql_query and presentation_definition',
    )
  return {
    ...(i.withClientId ? { client_id: i.clientId } : {}),
    response_type: 'vp_token',
    response_mode: i.responseMode,
    ...(i.encryption
      ? {
          client_metadata: {
            jwks: { keys: [i.encryption.jwk as unknown as JsonObject] },
            encrypted_response_enc_values_supported: [...i.encryption.encs],
          },
        }
      : {}),
    ...(i.responseUri ? { response_uri: i.responseUri } : {}),
    nonce: i.nonce,
    ...(i.state ? { state: i.state } : {}),
    ...(i.dcql ? { dcql_query: i.dcql } : { presentation_definition: i.presentationDefinition }),
    ...(i.expectedOrigins ? { expected_origins: i.expectedOrigins } : {}),
    ...(i.walletNonce ? { wallet_nonce: i.walletNonce } : {}),
    ...(i.now !== undefined ? { aud: 'https://self-issued.me/v2', iat: i.now, exp: i.now + 600 } : {}),
    ...(i.transactionData ? { transaction_data: i.transactionData } : {}),
  }
}

/** An unsigned request as `openid4vp://` URL parameters (objects and arrays JSON-encoded). */
export function unsignedLink(payload: JsonObject): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(payload)) q.set(k, typeof v === 'string' ? v : JSON.stringify(v))
  return `openid4vp://?${q.toString()}`
}
