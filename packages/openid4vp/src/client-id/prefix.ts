import { Openid4vpError } from '../errors.js'

/** Client Identifier Prefixes Bonafide supports (OpenID4VP 1.0 §5.9.3). */
export const CLIENT_ID_PREFIXES = [
  'redirect_uri',
  'decentralized_identifier',
  'verifier_attestation',
  'x509_san_dns',
  'x509_hash',
] as const
export type ClientIdPrefix = (typeof CLIENT_ID_PREFIXES)[number]

export interface ClientId {
  readonly prefix: ClientIdPrefix
  /** The original Client Identifier (after the first `:`). */
  readonly value: string
}

/**
 * Split a client_id at its first `:` (§5.9.1). No prefix (a pre-registered client), `origin:` (reserved for
 * the DC API audience, never accepted in requests) and prefixes not listed here are refused.
 */
export function parseClientId(clientId: unknown): ClientId {
  if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 4096)
    throw new Openid4vpError('openid4vp.request_invalid', 'client_id must be a non-empty string')
  const i = clientId.indexOf(':')
  if (i < 0) throw new Openid4vpError('openid4vp.client_untrusted', 'pre-registered clients are not supported')
  const prefix = clientId.slice(0, i)
  const value = clientId.slice(i + 1)
  if (!(CLIENT_ID_PREFIXES as readonly string[]).includes(prefix))
    throw new Openid4vpError('openid4vp.client_untrusted', 'unsupported client_id prefix')
  if (value.length === 0) throw new Openid4vpError('openid4vp.request_invalid', 'the client_id has no value after its prefix')
  return { prefix: prefix as ClientIdPrefix, value }
}
