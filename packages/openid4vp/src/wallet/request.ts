import type { KeyObject } from 'node:crypto'
import {
  b64uEncode,
  epochSeconds,
  expectOk,
  type Fetcher,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  parseJson,
  type RandomSource,
  systemClock,
  systemRandom,
  utf8Decode,
} from '@bonafide/core'
import { checkJwtTimes, type ParsedJws, parseCompactJws } from '@bonafide/jose'
import { type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { type AuthenticatedClient, authenticateRequestObject, type ClientTrustOptions } from '../client-id/authenticate.js'
import { type ClientIdPrefix, parseClientId } from '../client-id/prefix.js'
import { type DcqlQuery, parseDcqlQuery } from '../dcql/query.js'
import { decryptRequestObject, encryptResponse, jwkThumbprintBytes, type ResponseEnc } from '../encryption.js'
import { Openid4vpError } from '../errors.js'
import { type PresentationDefinition, parsePresentationDefinition } from '../pex/definition.js'
import type { PresentationSubmission } from '../pex/submission.js'

/**
 * What a request asks, exactly one of: `dcql` (OpenID4VP 1.0 §5.1, §6), or `presentationDefinition` (DIF
 * Presentation Exchange 2.1.1, the legacy `presentation_definition` of the drafts before 1.0, which 1.0 dropped).
 */
export type RequestQuery =
  | { readonly dcql: DcqlQuery; readonly presentationDefinition?: undefined }
  | { readonly presentationDefinition: PresentationDefinition; readonly dcql?: undefined }

export type AuthorizationRequest = AuthorizationRequestBase & RequestQuery

export interface AuthorizationRequestBase {
  readonly clientId: string
  readonly nonce: string
  readonly state?: string
  readonly responseMode: string
  readonly responseUri: string
  readonly transactionData?: readonly string[]
  /** Subject of the verifier's certificate (for consent screens and the presentation log). */
  readonly verifierSubject?: string
  /** direct_post.jwt: the verifier's encryption key and the content encryption to use. */
  readonly encryption?: { readonly jwk: PublicJwk & { kid?: string }; readonly enc: ResponseEnc; readonly thumbprint: Uint8Array }
  /** How the verifier was identified (§5.9.3); `redirect_uri` requests are unsigned and unauthenticated. */
  readonly clientIdPrefix?: ClientIdPrefix
  /** What authenticated the request object (absent for `redirect_uri`). */
  readonly client?: AuthenticatedClient
}

export interface ParseAuthorizationRequestOptions extends ClientTrustOptions {
  /** Fetches `request_uri` (use the safe fetcher). */
  fetcher?: Fetcher
  /** request_uri_method=post (§5.10): wallet metadata sent along with a fresh `wallet_nonce`. */
  walletMetadata?: JsonObject
  /** Decrypts a request object encrypted to a key the wallet listed in `walletMetadata.jwks`. */
  requestDecryptionKey?: KeyObject
  random?: RandomSource
}

const MAX_LINK = 256 * 1024
const invalid = (message: string, cause?: unknown): never => {
  throw new Openid4vpError('openid4vp.request_invalid', message, cause === undefined ? undefined : { cause })
}

/** Fetch the request object by reference: GET (RFC 9101), or POST with wallet_nonce and wallet_metadata (§5.10). */
async function fetchRequestObject(
  uri: string,
  method: string | null,
  o: ParseAuthorizationRequestOptions,
): Promise<{ jwt: string; walletNonce?: string }> {
  if (!o.fetcher) invalid('request_uri needs a fetcher')
  const fetcher = o.fetcher as Fetcher
  if (method !== null && method !== 'get' && method !== 'post') invalid('request_uri_method must be get or post')
  const accept = 'application/oauth-authz-req+jwt'
  if (method !== 'post') {
    const res = expectOk(await fetcher(uri, { headers: { accept }, maxBytes: 256 * 1024 }))
    return { jwt: utf8Decode(res.body).trim() }
  }
  const walletNonce = b64uEncode((o.random ?? systemRandom).bytes(24))
  const body = new URLSearchParams({
    wallet_nonce: walletNonce,
    ...(o.walletMetadata ? { wallet_metadata: JSON.stringify(o.walletMetadata) } : {}),
  })
  const res = await fetcher(uri, {
    method: 'POST',
    headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    maxBytes: 256 * 1024,
  })
  // §5.10.2: any HTTP error response terminates the process.
  return { jwt: utf8Decode(expectOk(res).body).trim(), walletNonce }
}

/** A request object, decrypted first when it is a JWE (five segments) encrypted to the wallet's key. */
async function openRequestObject(jwt: string, o: ParseAuthorizationRequestOptions): Promise<ParsedJws> {
  let token = jwt
  if (token.split('.').length === 5) {
    if (!o.requestDecryptionKey) invalid('the request object is encrypted but no decryption key is configured')
    token = await decryptRequestObject(token, o.requestDecryptionKey as KeyObject)
  }
  const jws = parseCompactJws(token)
  if (jws.header.typ !== 'oauth-authz-req+jwt') invalid('typ must be oauth-authz-req+jwt')
  return jws
}

// Unsigned requests (redirect_uri) carry their parameters in the URL; objects and arrays are JSON.
function unsignedParams(url: URL): JsonObject {
  const p: JsonObject = {}
  for (const [k, v] of url.searchParams) {
    if (url.searchParams.getAll(k).length > 1) invalid(`${k} is repeated`)
    if (k === 'dcql_query' || k === 'presentation_definition' || k === 'client_metadata' || k === 'transaction_data') {
      try {
        p[k] = parseJson(v, { maxLength: MAX_LINK }) as JsonObject
      } catch (cause) {
        invalid(`${k} is not JSON`, cause)
      }
    } else p[k] = v
  }
  return p
}

/** client_metadata encryption key and enc for `*.jwt` response modes (§8.3). */
function responseEncryption(p: JsonObject): AuthorizationRequest['encryption'] {
  const md = p.client_metadata
  const keys = isJsonObject(md) && isJsonObject(md.jwks) && Array.isArray(md.jwks.keys) ? md.jwks.keys : []
  const k = keys.find((x) => isJsonObject(x) && x.use !== 'sig' && (x.alg === undefined || x.alg === 'ECDH-ES'))
  if (!isJsonObject(k)) return invalid('encrypted responses need an encryption key in client_metadata.jwks')
  const { kid, use: _u, alg: _a, ...members } = k
  const jwk = { ...parsePublicJwk(members), ...(typeof kid === 'string' ? { kid } : {}) }
  const encs =
    isJsonObject(md) && Array.isArray(md.encrypted_response_enc_values_supported)
      ? md.encrypted_response_enc_values_supported
      : ['A128GCM']
  const enc: ResponseEnc | undefined = encs.includes('A128GCM') ? 'A128GCM' : encs.includes('A256GCM') ? 'A256GCM' : undefined
  if (!enc) return invalid('no supported content encryption in encrypted_response_enc_values_supported')
  return { jwk, enc, thumbprint: jwkThumbprintBytes(jwk) }
}

/**
 * The query: exactly one of dcql_query (§5.1) and the legacy presentation_definition (PEX 2.1.1), each parsed
 * strictly. A request carrying both, or neither, is refused.
 */
function queryParams(p: JsonObject): RequestQuery {
  if ((p.dcql_query === undefined) === (p.presentation_definition === undefined))
    invalid('exactly one of dcql_query and presentation_definition is required')
  if (p.presentation_definition !== undefined) {
    if (!isJsonObject(p.presentation_definition)) invalid('presentation_definition must be a JSON object')
    return { presentationDefinition: parsePresentationDefinition(p.presentation_definition) }
  }
  if (!isJsonObject(p.dcql_query)) invalid('dcql_query is required')
  return { dcql: parseDcqlQuery(p.dcql_query as JsonObject) }
}

/** nonce, the query, transaction_data: common to every response mode. */
function commonParams(p: JsonObject): { nonce: string; query: RequestQuery; transactionData?: string[] } {
  if (typeof p.nonce !== 'string' || p.nonce.length === 0) invalid('nonce is required')
  const query = queryParams(p)
  const td = p.transaction_data
  if (td !== undefined && (!Array.isArray(td) || td.length === 0 || td.some((x) => typeof x !== 'string')))
    invalid('transaction_data must be a non-empty array of strings')
  return {
    nonce: p.nonce as string,
    query,
    ...(td ? { transactionData: td as string[] } : {}),
  }
}

/** §5.9.3 response URI rules per prefix: redirect_uri equals the value; x509_san_dns names its host; attestation lists it. */
function checkResponseUri(responseUri: string, prefix: ClientIdPrefix, value: string, client?: AuthenticatedClient): void {
  let host: string
  try {
    host = new URL(responseUri).hostname
  } catch {
    throw new Openid4vpError('openid4vp.request_invalid', 'response_uri is not a URL')
  }
  if (prefix === 'redirect_uri' && responseUri !== value)
    throw new Openid4vpError('openid4vp.client_untrusted', 'response_uri is not the redirect_uri client_id value')
  if (prefix === 'x509_san_dns' && host !== value)
    throw new Openid4vpError('openid4vp.client_untrusted', 'response_uri host is not the client_id DNS name')
  const allowed = client?.attestation?.redirectUris
  if (allowed && !allowed.includes(responseUri))
    throw new Openid4vpError('openid4vp.client_untrusted', 'response_uri is not among the attestation redirect_uris')
}

/**
 * Parse and check an OpenID4VP request as a wallet (§5): a signed request object (`oauth-authz-req+jwt`) by value
 * or by `request_uri` (GET, or POST with a `wallet_nonce` the request object must echo, §5.10), authenticated by its
 * client_id prefix (§5.9.3: x509_san_dns, x509_hash, decentralized_identifier, verifier_attestation — each enabled
 * by its trust option), or an unsigned `redirect_uri` request when `allowRedirectUri` is set. The outer and inner
 * `client_id` must be identical.
 */
export async function parseAuthorizationRequest(
  link: string,
  o: ParseAuthorizationRequestOptions,
): Promise<AuthorizationRequest> {
  let url: URL
  try {
    if (link.length > MAX_LINK) throw new Error('too long')
    url = new URL(link)
  } catch {
    return invalid('not a request URL')
  }
  const outerClientId = url.searchParams.get('client_id')
  if (!outerClientId) return invalid('client_id is required')
  const { prefix, value } = parseClientId(outerClientId)
  let jwt = url.searchParams.get('request')
  const requestUri = url.searchParams.get('request_uri')
  const method = url.searchParams.get('request_uri_method')
  if (method !== null && !requestUri) invalid('request_uri_method needs a request_uri')
  if (jwt && requestUri) invalid('request and request_uri are exclusive')
  const signed = !!(jwt || requestUri)
  if (prefix === 'redirect_uri' && signed)
    throw new Openid4vpError('openid4vp.client_untrusted', 'requests with the redirect_uri prefix cannot be signed')
  if (prefix === 'redirect_uri' && !o.allowRedirectUri)
    throw new Openid4vpError('openid4vp.client_untrusted', 'the redirect_uri prefix is not enabled')
  if (!signed && prefix !== 'redirect_uri') invalid('a signed request object is required for this client_id prefix')
  let p: JsonObject
  let client: AuthenticatedClient | undefined
  if (signed) {
    let walletNonce: string | undefined
    if (!jwt) ({ jwt, walletNonce } = await fetchRequestObject(requestUri as string, method, o))
    const jws = await openRequestObject(jwt as string, o)
    p = jws.payload
    if (p.client_id !== outerClientId) invalid('outer and inner client_id differ')
    client = await authenticateRequestObject(jws, outerClientId, o)
    try {
      checkJwtTimes(p, { now: epochSeconds(o.clock ?? systemClock) })
    } catch (cause) {
      invalid('request object expired', cause)
    }
    // §5.10.1: the request object must echo the wallet_nonce we sent.
    if (walletNonce !== undefined && p.wallet_nonce !== walletNonce) invalid('the request object does not echo our wallet_nonce')
  } else {
    p = unsignedParams(url)
    if (p.response_uri === undefined && p.redirect_uri === undefined) p.response_uri = value // §5.9.3: MAY be omitted
  }
  if (p.response_mode !== 'direct_post' && p.response_mode !== 'direct_post.jwt')
    invalid('direct_post or direct_post.jwt with a response_uri is required')
  if (typeof p.response_uri !== 'string') return invalid('direct_post or direct_post.jwt with a response_uri is required')
  if (p.redirect_uri !== undefined) invalid('redirect_uri must not be present with response_uri')
  checkResponseUri(p.response_uri, prefix, value, client)
  const encryption = p.response_mode === 'direct_post.jwt' ? responseEncryption(p) : undefined
  const common = commonParams(p)
  return {
    clientId: outerClientId,
    nonce: common.nonce,
    ...(typeof p.state === 'string' ? { state: p.state } : {}),
    responseMode: p.response_mode as string,
    responseUri: p.response_uri,
    ...common.query,
    ...(common.transactionData ? { transactionData: common.transactionData } : {}),
    ...(client?.verifierSubject ? { verifierSubject: client.verifierSubject } : {}),
    ...(encryption ? { encryption } : {}),
    clientIdPrefix: prefix,
    ...(client ? { client } : {}),
  }
}

/** A `vp_token`: keyed by DCQL query id, or (Presentation Exchange) one presentation or an array of them. */
export type VpToken = Record<string, string[]> | string | JsonObject | readonly (string | JsonObject)[]

/**
 * Post a `direct_post` response (§8.2), encrypted for `direct_post.jwt` (§8.3), and return the verifier's answer
 * (with `redirect_uri` when given). Answers to a Presentation Exchange request pass the `presentation_submission`:
 * it is sent next to the `vp_token` (a form parameter, or a member of the encrypted response).
 */
export async function postDirectResponse(
  fetcher: Fetcher,
  request: AuthorizationRequest,
  vpToken: VpToken,
  presentationSubmission?: PresentationSubmission,
): Promise<JsonObject> {
  const params: JsonObject = { vp_token: vpToken as JsonValue }
  if (presentationSubmission) params.presentation_submission = presentationSubmission as unknown as JsonObject
  if (request.state) params.state = request.state
  // A single string presentation travels as itself (PEX); objects and arrays as JSON.
  const form = {
    vp_token: typeof vpToken === 'string' ? vpToken : JSON.stringify(vpToken),
    ...(presentationSubmission ? { presentation_submission: JSON.stringify(presentationSubmission) } : {}),
    ...(request.state ? { state: request.state } : {}),
  }
  const body = request.encryption
    ? new URLSearchParams({ response: await encryptResponse(params, request.encryption.jwk, request.encryption.enc) }).toString()
    : new URLSearchParams(form).toString()
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

/** A request received over the Digital Credentials API (Appendix A), bound to the origin the platform reported. */
export interface DcApiAuthorizationRequest {
  /** Signed requests: the authenticated client_id; unsigned: absent (the wallet MUST ignore one, A.2). */
  readonly clientId?: string
  readonly origin: string
  /** The audience of presentations (A.4): `origin:<origin>`, even for signed requests. */
  readonly audience: string
  readonly nonce: string
  readonly responseMode: 'dc_api' | 'dc_api.jwt'
  readonly dcql: DcqlQuery
  readonly transactionData?: readonly string[]
  readonly encryption?: AuthorizationRequest['encryption']
  readonly client?: AuthenticatedClient
}

/**
 * Parse a DC API request as a wallet (Appendix A): `openid4vp-v1-signed` (`data.request`, authenticated by its
 * client_id prefix; `expected_origins` must list the origin) or `openid4vp-v1-unsigned` (parameters in `data`;
 * client_id and expected_origins ignored). Response mode `dc_api` or `dc_api.jwt` (encrypted, §8.3).
 */
export async function parseDcApiRequest(
  input: { protocol: string; data: unknown },
  o: ClientTrustOptions & { origin: string },
): Promise<DcApiAuthorizationRequest> {
  if (!isJsonObject(input.data)) invalid('DC API request data must be an object')
  const data = input.data as JsonObject
  let p: JsonObject
  let client: AuthenticatedClient | undefined
  if (input.protocol === 'openid4vp-v1-signed') {
    const jws = parseCompactJws(data.request)
    if (jws.header.typ !== 'oauth-authz-req+jwt') invalid('typ must be oauth-authz-req+jwt')
    p = jws.payload
    if (typeof p.client_id !== 'string') invalid('signed DC API requests carry client_id (A.2)')
    client = await authenticateRequestObject(jws, p.client_id as string, o)
    try {
      checkJwtTimes(p, { now: epochSeconds(o.clock ?? systemClock) })
    } catch (cause) {
      invalid('request object expired', cause)
    }
    const eo = p.expected_origins
    if (!Array.isArray(eo) || eo.length === 0 || eo.some((x) => typeof x !== 'string'))
      invalid('signed DC API requests need expected_origins (A.2)')
    if (!(eo as string[]).includes(o.origin)) invalid('the origin is not one of expected_origins')
  } else if (input.protocol === 'openid4vp-v1-unsigned') {
    if ('request' in data) invalid('an unsigned DC API request has no request member')
    const { client_id: _c, expected_origins: _e, ...rest } = data
    p = rest
  } else return invalid('unsupported DC API protocol')
  if (p.response_mode !== 'dc_api' && p.response_mode !== 'dc_api.jwt') invalid('response_mode must be dc_api or dc_api.jwt')
  const common = commonParams(p)
  // Appendix A: requests over the DC API use DCQL; the legacy presentation_definition is not accepted there.
  if (!common.query.dcql) return invalid('DC API requests carry a dcql_query')
  const encryption = p.response_mode === 'dc_api.jwt' ? responseEncryption(p) : undefined
  return {
    ...(client ? { clientId: p.client_id as string, client } : {}),
    origin: o.origin,
    audience: `origin:${o.origin}`,
    nonce: common.nonce,
    responseMode: p.response_mode as 'dc_api' | 'dc_api.jwt',
    dcql: common.query.dcql,
    ...(common.transactionData ? { transactionData: common.transactionData } : {}),
    ...(encryption ? { encryption } : {}),
  }
}

/** The DC API response `data` (A.4): `{ vp_token }`, or for `dc_api.jwt` `{ response }` encrypted to the verifier. */
export async function createDcApiResponse(
  request: DcApiAuthorizationRequest,
  vpToken: Record<string, string[]>,
): Promise<JsonObject> {
  if (!request.encryption) return { vp_token: vpToken }
  return { response: await encryptResponse({ vp_token: vpToken }, request.encryption.jwk, request.encryption.enc) }
}
