import {
  type Clock,
  digestB64u,
  epochSeconds,
  expectOk,
  type Fetcher,
  isJsonObject,
  type JsonObject,
  systemClock,
  utf8Decode,
} from '@bonafide/core'
import {
  checkJwtTimes,
  createX5cValidator,
  decodeX5c,
  parseCompactJws,
  type TrustAnchorInput,
  verifyJwsSignature,
  type X5cValidator,
} from '@bonafide/jose'
import { type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { type DcqlQuery, parseDcqlQuery } from '../dcql/query.js'
import { encryptResponse, jwkThumbprintBytes, type ResponseEnc } from '../encryption.js'
import { Openid4vpError } from '../errors.js'

export interface AuthorizationRequest {
  readonly clientId: string
  readonly nonce: string
  readonly state?: string
  readonly responseMode: string
  readonly responseUri: string
  readonly dcql: DcqlQuery
  readonly transactionData?: readonly string[]
  /** Subject of the verifier's certificate (for consent screens and the presentation log). */
  readonly verifierSubject?: string
  /** direct_post.jwt: the verifier's encryption key and the content encryption to use. */
  readonly encryption?: { readonly jwk: PublicJwk & { kid?: string }; readonly enc: ResponseEnc; readonly thumbprint: Uint8Array }
}

const validators = new WeakMap<readonly TrustAnchorInput[], X5cValidator>()

/**
 * Parse and check an OpenID4VP request as a wallet (§5): a signed request object (`oauth-authz-req+jwt`)
 * by value or by `request_uri`; the `x509_san_dns` prefix requires an x5c chain to a trusted root whose
 * leaf names the DNS name and the response URI's host; the outer and inner `client_id` must be identical.
 */
export async function parseAuthorizationRequest(
  link: string,
  o: { trustAnchors: readonly TrustAnchorInput[]; fetcher?: Fetcher; clock?: Clock },
): Promise<AuthorizationRequest> {
  let url: URL
  try {
    url = new URL(link)
  } catch {
    throw new Openid4vpError('openid4vp.request_invalid', 'not a request URL')
  }
  const outerClientId = url.searchParams.get('client_id')
  let jwt = url.searchParams.get('request')
  const requestUri = url.searchParams.get('request_uri')
  if (!outerClientId) throw new Openid4vpError('openid4vp.request_invalid', 'client_id is required')
  if (!jwt && requestUri) {
    if (!o.fetcher) throw new Openid4vpError('openid4vp.request_invalid', 'request_uri needs a fetcher')
    jwt = utf8Decode(
      expectOk(await o.fetcher(requestUri, { headers: { accept: 'application/oauth-authz-req+jwt' }, maxBytes: 256 * 1024 }))
        .body,
    ).trim()
  }
  if (!jwt) throw new Openid4vpError('openid4vp.request_invalid', 'a signed request object is required for this client_id prefix')
  const jws = parseCompactJws(jwt)
  if (jws.header.typ !== 'oauth-authz-req+jwt')
    throw new Openid4vpError('openid4vp.request_invalid', 'typ must be oauth-authz-req+jwt')
  const p = jws.payload
  if (p.client_id !== outerClientId) throw new Openid4vpError('openid4vp.request_invalid', 'outer and inner client_id differ')
  const prefix = outerClientId.slice(0, outerClientId.indexOf(':'))
  if (prefix !== 'x509_san_dns' && prefix !== 'x509_hash')
    throw new Openid4vpError('openid4vp.client_untrusted', 'unsupported client_id prefix')
  const value = outerClientId.slice(prefix.length + 1)
  let v = validators.get(o.trustAnchors)
  if (!v) validators.set(o.trustAnchors, (v = createX5cValidator(o.trustAnchors)))
  const now = (o.clock ?? systemClock).now()
  const chainDer = decodeX5c(jws.header.x5c)
  const chain = v.validate(chainDer, now)
  // §5.9.3: x509_san_dns names a DNS SAN of the leaf; x509_hash is base64url(SHA-256(DER of the leaf)).
  if (prefix === 'x509_san_dns' && !(chain.leaf.subjectAltName ?? '').split(', ').includes(`DNS:${value}`))
    throw new Openid4vpError('openid4vp.client_untrusted', 'the certificate does not name the client_id')
  if (prefix === 'x509_hash' && digestB64u('sha-256', chainDer[0] as Uint8Array) !== value)
    throw new Openid4vpError('openid4vp.client_untrusted', 'the certificate hash does not match the client_id')
  try {
    verifyJwsSignature(jws, chain.leafKey)
  } catch (cause) {
    throw new Openid4vpError('openid4vp.client_untrusted', 'request object signature does not verify', { cause })
  }
  try {
    checkJwtTimes(p, { now: epochSeconds(o.clock ?? systemClock) })
  } catch (cause) {
    throw new Openid4vpError('openid4vp.request_invalid', 'request object expired', { cause })
  }
  if (typeof p.nonce !== 'string' || p.nonce.length === 0)
    throw new Openid4vpError('openid4vp.request_invalid', 'nonce is required')
  if ((p.response_mode !== 'direct_post' && p.response_mode !== 'direct_post.jwt') || typeof p.response_uri !== 'string') {
    throw new Openid4vpError('openid4vp.request_invalid', 'direct_post or direct_post.jwt with a response_uri is required')
  }
  let encryption: AuthorizationRequest['encryption']
  if (p.response_mode === 'direct_post.jwt') {
    const md = p.client_metadata
    const keys = isJsonObject(md) && isJsonObject(md.jwks) && Array.isArray(md.jwks.keys) ? md.jwks.keys : []
    const k = keys.find((x) => isJsonObject(x) && x.use !== 'sig' && (x.alg === undefined || x.alg === 'ECDH-ES'))
    if (!isJsonObject(k))
      throw new Openid4vpError('openid4vp.request_invalid', 'direct_post.jwt needs an encryption key in client_metadata.jwks')
    const { kid, use: _u, alg: _a, ...members } = k
    const jwk = { ...parsePublicJwk(members), ...(typeof kid === 'string' ? { kid } : {}) }
    const encs =
      isJsonObject(md) && Array.isArray(md.encrypted_response_enc_values_supported)
        ? md.encrypted_response_enc_values_supported
        : ['A128GCM']
    const enc: ResponseEnc = encs.includes('A128GCM') ? 'A128GCM' : encs.includes('A256GCM') ? 'A256GCM' : 'A128GCM'
    encryption = { jwk, enc, thumbprint: jwkThumbprintBytes(jwk) }
  }
  // §5.9.3: with x509_san_dns the response URI's host must be the DNS name in the certificate.
  if (prefix === 'x509_san_dns' && new URL(p.response_uri).hostname !== value)
    throw new Openid4vpError('openid4vp.client_untrusted', 'response_uri host is not the client_id DNS name')
  if (!isJsonObject(p.dcql_query)) throw new Openid4vpError('openid4vp.request_invalid', 'dcql_query is required')
  const td = p.transaction_data
  if (td !== undefined && (!Array.isArray(td) || td.some((x) => typeof x !== 'string')))
    throw new Openid4vpError('openid4vp.request_invalid', 'transaction_data must be strings')
  return {
    clientId: outerClientId,
    nonce: p.nonce,
    ...(typeof p.state === 'string' ? { state: p.state } : {}),
    responseMode: p.response_mode,
    responseUri: p.response_uri,
    dcql: parseDcqlQuery(p.dcql_query as JsonObject),
    ...(td ? { transactionData: td as string[] } : {}),
    verifierSubject: chain.leaf.subject,
    ...(encryption ? { encryption } : {}),
  }
}

/** Post a `direct_post` response (§8.2) and return the verifier's answer (with `redirect_uri` when given). */
export async function postDirectResponse(
  fetcher: Fetcher,
  request: AuthorizationRequest,
  vpToken: Record<string, string[]>,
): Promise<JsonObject> {
  const params = { vp_token: vpToken, ...(request.state ? { state: request.state } : {}) }
  const body = request.encryption
    ? new URLSearchParams({ response: await encryptResponse(params, request.encryption.jwk, request.encryption.enc) }).toString()
    : new URLSearchParams({ vp_token: JSON.stringify(vpToken), ...(request.state ? { state: request.state } : {}) }).toString()
  const res = await fetcher(request.responseUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
  const text = utf8Decode(res.body)
  const answer = text ? JSON.parse(text) : {}
  if (res.status !== 200 || !isJsonObject(answer))
    throw new Openid4vpError('openid4vp.response_invalid', `the verifier answered HTTP ${res.status}`)
  return answer
}
