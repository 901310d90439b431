import type { JsonObject } from '@bonafide/core'
import type { PublicJwk } from '@bonafide/keys'
import type { ResponseEnc } from '../encryption.js'

export interface RequestPayloadInput {
  clientId: string
  /** Omitted for unsigned DC API requests only. */
  withClientId: boolean
  responseMode: 'direct_post' | 'direct_post.jwt' | 'dc_api' | 'dc_api.jwt'
  responseUri?: string
  nonce: string
  state?: string
  dcql: JsonObject
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
    dcql_query: i.dcql,
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
