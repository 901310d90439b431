import type { JsonObject } from '@bonafide/core'
import { createAuthorizationServerMetadata } from '@bonafide/oauth2'
import { Openid4vciError } from './errors.js'
import type { FormatRegistry } from './format.js'
import { DEFAULT_ALGS, type IssuerOptions, PATHS } from './issuer-options.js'

/** `credential_configurations_supported` with proof types filled in, each validated by its format. */
export function buildConfigurations(o: IssuerOptions, registry: FormatRegistry): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {}
  const algs = [...(o.proofAlgorithms ?? DEFAULT_ALGS)]
  for (const [id, c] of Object.entries(o.configurations)) {
    if (typeof c.format !== 'string') throw new Openid4vciError('openid4vci.config_invalid', 'configuration needs a format')
    registry.get(c.format).validateConfiguration(c)
    const conf: JsonObject = { ...c }
    if (o.keyAttestationRequiredFor?.(id) === true && !o.keyAttestation)
      throw new Openid4vciError('openid4vci.config_invalid', 'a configuration requiring key attestations needs keyAttestation')
    if (conf.proof_types_supported === undefined) {
      const req = o.keyAttestation?.required
      // §12.2.4: present only when required, issuer-wide or for this configuration ({} = no further constraints).
      const kar: JsonObject | undefined =
        o.keyAttestation?.mandatory || o.keyAttestationRequiredFor?.(id) === true
          ? {
              ...(req?.key_storage ? { key_storage: [...req.key_storage] } : {}),
              ...(req?.user_authentication ? { user_authentication: [...req.user_authentication] } : {}),
            }
          : undefined
      const jwt: JsonObject = { proof_signing_alg_values_supported: algs }
      if (kar) jwt.key_attestations_required = kar
      const pts: JsonObject = { jwt }
      if (o.keyAttestation) pts.attestation = { proof_signing_alg_values_supported: algs, key_attestations_required: kar ?? {} }
      conf.proof_types_supported = pts
    }
    if (conf.cryptographic_binding_methods_supported === undefined) conf.cryptographic_binding_methods_supported = ['jwk']
    out[id] = conf
  }
  return out
}

/** OpenID4VCI §12.2.4 Credential Issuer Metadata. */
export function buildIssuerMetadata(
  o: IssuerOptions,
  configurations: Record<string, JsonObject>,
  requestJwk?: JsonObject,
): JsonObject {
  const base = o.issuer
  const m: JsonObject = {
    credential_issuer: base,
    authorization_servers: [o.externalAuthorizationServer?.issuer ?? base],
    credential_endpoint: base + PATHS.credential,
    nonce_endpoint: base + PATHS.nonce,
    notification_endpoint: base + PATHS.notification,
    credential_configurations_supported: configurations,
  }
  if (o.deferred) m.deferred_credential_endpoint = base + PATHS.deferred
  if (o.batchSize >= 2) m.batch_credential_issuance = { batch_size: o.batchSize }
  if (o.encryption && requestJwk)
    m.credential_request_encryption = {
      jwks: { keys: [requestJwk] },
      enc_values_supported: [...(o.encryption.enc ?? ['A128GCM', 'A256GCM'])],
      encryption_required: o.encryption.required ?? false,
    }
  if (o.encryption)
    m.credential_response_encryption = {
      alg_values_supported: ['ECDH-ES'],
      enc_values_supported: [...(o.encryption.enc ?? ['A128GCM', 'A256GCM'])],
      encryption_required: o.encryption.required ?? false,
    }
  if (o.display) m.display = o.display
  return m
}

/** RFC 8414 metadata of the built-in authorization server. */
export function buildAsMetadata(o: IssuerOptions): JsonObject {
  const base = o.issuer
  return createAuthorizationServerMetadata({
    issuer: base,
    tokenEndpoint: base + PATHS.token,
    authorizationEndpoint: base + PATHS.authorize,
    parEndpoint: base + PATHS.par,
    requirePar: true,
    dpopAlgs: [...(o.proofAlgorithms ?? DEFAULT_ALGS)],
    ...(o.clientAttestation ? { clientAttestation: { algs: [...DEFAULT_ALGS] } } : {}),
    preAuthorizedGrantAnonymous: true,
    refreshTokens: o.refreshTokenTtlSeconds !== undefined && o.refreshTokenTtlSeconds > 0,
  })
}
