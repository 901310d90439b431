import type { JsonObject } from '@bonafide/core'

/** Authorization server metadata (RFC 8414) for an AS built from these pieces. */
export interface AuthorizationServerMetadataInput {
  issuer: string
  tokenEndpoint: string
  authorizationEndpoint?: string
  parEndpoint?: string
  requirePar?: boolean
  dpopAlgs?: readonly string[]
  clientAttestation?: { algs: readonly string[] }
  preAuthorizedGrantAnonymous?: boolean
  refreshTokens?: boolean
  extra?: JsonObject
}

/** Build RFC 8414 metadata with PKCE S256, DPoP (RFC 9449 §5.1), PAR (RFC 9126 §5) and RFC 9207. */
export function createAuthorizationServerMetadata(i: AuthorizationServerMetadataInput): JsonObject {
  const m: JsonObject = {
    issuer: i.issuer,
    token_endpoint: i.tokenEndpoint,
    response_types_supported: ['code'],
    grant_types_supported: [
      'authorization_code',
      'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      ...(i.refreshTokens ? ['refresh_token'] : []),
    ],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    token_endpoint_auth_methods_supported: i.clientAttestation ? ['attest_jwt_client_auth', 'none'] : ['none'],
  }
  if (i.authorizationEndpoint) m.authorization_endpoint = i.authorizationEndpoint
  if (i.parEndpoint) {
    m.pushed_authorization_request_endpoint = i.parEndpoint
    m.require_pushed_authorization_requests = i.requirePar ?? true
  }
  if (i.dpopAlgs) m.dpop_signing_alg_values_supported = [...i.dpopAlgs]
  if (i.clientAttestation) {
    m.client_attestation_signing_alg_values_supported = [...i.clientAttestation.algs]
    m.client_attestation_pop_signing_alg_values_supported = [...i.clientAttestation.algs]
  }
  if (i.preAuthorizedGrantAnonymous !== undefined)
    m['pre-authorized_grant_anonymous_access_supported'] = i.preAuthorizedGrantAnonymous
  return { ...m, ...i.extra }
}

/** RFC 9207: add `iss` to an authorization response redirect. */
export function authorizationResponseUrl(
  redirectUri: string,
  params: { code?: string; state?: string; iss: string; error?: string },
): string {
  const u = new URL(redirectUri)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v)
  return u.toString()
}
