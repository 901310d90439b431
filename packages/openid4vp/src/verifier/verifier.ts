import { createPrivateKey } from 'node:crypto'
import {
  b64uDecode,
  b64uEncode,
  type Clock,
  isJsonObject,
  type JsonObject,
  parseJson,
  type RandomSource,
  systemClock,
  systemRandom,
} from '@bonafide/core'
import type { ClientIdPrefix } from '../client-id/prefix.js'
import { parseDcqlQuery } from '../dcql/query.js'
import {
  createResponseEncryptionKey,
  decryptResponse,
  jwkThumbprintBytes,
  RESPONSE_ENC_VALUES,
  type ResponseEnc,
} from '../encryption.js'
import { Openid4vpError } from '../errors.js'
import { parsePresentationDefinition } from '../pex/definition.js'
import { PexError } from '../pex/errors.js'
import {
  MemoryNonceGuard,
  type NonceGuard,
  type PresentationValidator,
  type ResponseValidationResult,
  validateVpToken,
} from '../validate.js'
import { dcApiResponseParams } from './dc-api.js'
import { validatePexSessionResponse } from './pex-response.js'
import { prepareRequestSigning, type RequestSigningOptions, signRequestObject } from './request-object.js'
import { type RequestPayloadInput, type RequestQueryInput, requestPayload, unsignedLink } from './request-payload.js'
import { answerRequestUri } from './request-uri.js'
import {
  MemoryVerifierSessionStore,
  type SessionQuery,
  type SessionResult,
  type VerifierSession,
  type VerifierSessionStore,
} from './session-store.js'

export interface VerifierOptions extends RequestSigningOptions {
  /** Absolute URL where wallets POST responses (`direct_post`); with `redirect_uri:` it must be the client_id value. */
  responseUri: string
  validators: readonly PresentationValidator[]
  nonceGuard?: NonceGuard
  clock?: Clock
  random?: RandomSource
  /** Where the wallet sends the user after posting (with a response code appended); optional. */
  redirectUri?: string
  /** `direct_post` (default) or `direct_post.jwt` (encrypted to a fresh key per request, §8.3). */
  responseMode?: 'direct_post' | 'direct_post.jwt'
  /** Base URL of the request_uri endpoint served by `handleRequestUri` (`<base>/<session id>`): requests by reference. */
  requestUriBase?: string
  /** Sessions (memory by default; a shared store when several instances verify). */
  sessions?: VerifierSessionStore
  /** How long a session waits for its answer (default 600 s). */
  sessionTtlSeconds?: number
}

type Session = VerifierSession

const MAX_BODY = 1 << 20

/** The `kid` of a compact JWE's protected header (undefined when absent or malformed). */
function jweKid(jwe: string): string | undefined {
  const dot = jwe.indexOf('.')
  if (dot <= 0 || dot > 4096) return undefined
  try {
    const h = parseJson(new TextDecoder().decode(b64uDecode(jwe.slice(0, dot))), { maxLength: 4096 })
    return isJsonObject(h) && typeof h.kid === 'string' ? h.kid : undefined
  } catch {
    return undefined
  }
}

/** The query a session carries, as request payload input (exactly one of the two). */
function queryOf(s: SessionQuery): RequestQueryInput {
  return s.dcql ? { dcql: s.dcql } : { presentationDefinition: s.presentationDefinition }
}

/** The DCQL query of a DCQL session (DC API sessions are DCQL only). */
function dcqlOf(s: SessionQuery) {
  if (!s.dcql) throw new Openid4vpError('openid4vp.session_unknown', 'this session is not a DCQL session')
  return parseDcqlQuery(s.dcql)
}

/** Options of createRequest and createPexRequest. */
export interface CreateRequestOptions {
  transactionData?: string[]
  /** By reference (§5.10): the link carries a request_uri (needs `requestUriBase`). */
  requestUriMethod?: 'get' | 'post'
  /** How long this session waits for its answer (default: the verifier's `sessionTtlSeconds`). */
  ttlSeconds?: number
}

export interface CreatedRequest {
  sessionId: string
  link: string
  requestObject?: string
  nonce: string
}

function privateKeyOf(s: Session) {
  return createPrivateKey({ key: s.encryption?.privateJwk as never, format: 'jwk' })
}

const json = (status: number, body: JsonObject) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } })

/**
 * An OpenID4VP 1.0 verifier: request objects (`oauth-authz-req+jwt`) signed as the client_id prefix requires
 * (§5.9.3: x509_san_dns, x509_hash, decentralized_identifier, verifier_attestation; `redirect_uri` unsigned), by
 * value or by reference (`request_uri`, optionally `request_uri_method=post`, §5.10), `direct_post(.jwt)` and
 * DC API (`dc_api(.jwt)`) responses validated atomically, state and nonce used once.
 */
export class Verifier {
  readonly #o: VerifierOptions
  readonly #sessions: VerifierSessionStore
  readonly #guard: NonceGuard
  readonly #signing: { prefix: ClientIdPrefix; header?: JsonObject }

  constructor(o: VerifierOptions) {
    this.#o = o
    this.#guard = o.nonceGuard ?? new MemoryNonceGuard()
    this.#sessions = o.sessions ?? new MemoryVerifierSessionStore({ now: () => (o.clock ?? systemClock).now() })
    this.#signing = prepareRequestSigning(o)
    // §5.9.3: with redirect_uri the client_id value is the response URI itself.
    if (this.#signing.prefix === 'redirect_uri' && o.clientId.slice('redirect_uri:'.length) !== o.responseUri)
      throw new Openid4vpError('openid4vp.request_invalid', 'with redirect_uri the response URI must be the client_id value')
  }

  #rand(): string {
    return b64uEncode((this.#o.random ?? systemRandom).bytes(24))
  }

  #now(): number {
    return Math.floor((this.#o.clock ?? systemClock).now() / 1000)
  }

  /** A new session for a query the caller has already parsed (nothing invalid is ever signed). */
  #newSession(
    query: SessionQuery,
    transactionData: string[] | undefined,
    encrypted: boolean,
    extra: { expectedOrigins?: string[]; byReference?: boolean } = {},
    ttlSeconds?: number,
  ): Session {
    const key = encrypted ? createResponseEncryptionKey() : undefined
    const ttl = ttlSeconds ?? this.#o.sessionTtlSeconds ?? 600
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400 * 30)
      throw new Openid4vpError('openid4vp.request_invalid', 'a session lives 1 s to 30 days')
    return {
      id: this.#rand(),
      nonce: this.#rand(),
      state: this.#rand(),
      ...query,
      expiresAt: (this.#o.clock ?? systemClock).now() + ttl * 1000,
      ...(transactionData ? { transactionData } : {}),
      ...(key ? { encryption: { jwk: key.jwk, privateJwk: key.privateKey.export({ format: 'jwk' }) as JsonObject } } : {}),
      ...extra,
    }
  }

  #payload(s: Session, o: { walletNonce?: string; encs?: readonly ResponseEnc[]; signed: boolean }): JsonObject {
    const i: RequestPayloadInput = {
      clientId: this.#o.clientId,
      withClientId: true,
      responseMode: s.encryption ? 'direct_post.jwt' : 'direct_post',
      responseUri: this.#o.responseUri,
      nonce: s.nonce,
      state: s.state,
      ...queryOf(s),
      ...(s.transactionData ? { transactionData: [...s.transactionData] } : {}),
      ...(s.encryption ? { encryption: { jwk: s.encryption.jwk, encs: o.encs ?? RESPONSE_ENC_VALUES } } : {}),
      ...(o.walletNonce ? { walletNonce: o.walletNonce } : {}),
      ...(o.signed ? { now: this.#now() } : {}),
    }
    return requestPayload(i)
  }

  /**
   * Start a session for a DCQL query; returns the wallet link and the session id. With `requestUriMethod` the link
   * carries a `request_uri` (needs `requestUriBase`) and the request object is made when the wallet fetches it.
   */
  async createRequest(dcql: unknown, o: CreateRequestOptions = {}): Promise<CreatedRequest> {
    parseDcqlQuery(dcql) // refuse an invalid query before anything is signed
    const s = this.#newSession(
      { dcql: dcql as JsonObject },
      o.transactionData,
      this.#o.responseMode === 'direct_post.jwt',
      o.requestUriMethod ? { byReference: true } : {},
      o.ttlSeconds,
    )
    return this.#start(s, o)
  }

  /**
   * Start a session for a DIF Presentation Exchange 2.1.1 definition: the request object carries
   * `presentation_definition` instead of `dcql_query`. OpenID4VP 1.0 §5.1 defines only `dcql_query`; this is the
   * legacy path of the drafts before 1.0, for ecosystems that still use PEX. The definition is parsed strictly
   * (`openid4vp.pex_definition_invalid`) before anything is signed; the response must carry a
   * `presentation_submission` and is validated with `validatePexResponse`.
   * @example const { link, sessionId } = await verifier.createPexRequest({ id: 'p', input_descriptors: [...] })
   */
  async createPexRequest(definition: unknown, o: CreateRequestOptions = {}): Promise<CreatedRequest> {
    parsePresentationDefinition(definition) // strictly, before anything is signed
    if (!isJsonObject(definition)) throw new PexError('openid4vp.pex_definition_invalid', 'pass the definition as a JSON object')
    const s = this.#newSession(
      { presentationDefinition: definition },
      o.transactionData,
      this.#o.responseMode === 'direct_post.jwt',
      o.requestUriMethod ? { byReference: true } : {},
      o.ttlSeconds,
    )
    return this.#start(s, o)
  }

  async #start(s: Session, o: CreateRequestOptions): Promise<CreatedRequest> {
    const cid = encodeURIComponent(this.#o.clientId)
    let link: string
    let requestObject: string | undefined
    if (this.#signing.prefix === 'redirect_uri') {
      if (o.requestUriMethod) throw new Openid4vpError('openid4vp.request_invalid', 'redirect_uri requests are passed by value')
      link = unsignedLink(this.#payload(s, { signed: false }))
    } else if (o.requestUriMethod) {
      if (!this.#o.requestUriBase) throw new Openid4vpError('openid4vp.request_invalid', 'requestUriBase is not configured')
      const uri = encodeURIComponent(`${this.#o.requestUriBase}/${s.id}`)
      link = `openid4vp://?client_id=${cid}&request_uri=${uri}${o.requestUriMethod === 'post' ? '&request_uri_method=post' : ''}`
    } else {
      requestObject = await signRequestObject(this.#payload(s, { signed: true }), this.#signing, this.#o.signer)
      link = `openid4vp://?client_id=${cid}&request=${requestObject}`
    }
    await this.#sessions.create(s)
    return { sessionId: s.id, link, ...(requestObject ? { requestObject } : {}), nonce: s.nonce }
  }

  /**
   * The request_uri endpoint (§5.10), at `<requestUriBase>/<id>`: GET (RFC 9101) or POST with `wallet_nonce` and
   * `wallet_metadata`; answers a fresh request object echoing `wallet_nonce`, signed with an algorithm the wallet
   * lists, offering response encryption it supports, and encrypted to its `jwks` key if it sent one. Single use.
   */
  async handleRequestUri(req: Request): Promise<Response> {
    const base = this.#o.requestUriBase
    const url = new URL(req.url)
    const id = base && req.url.startsWith(`${base}/`) ? url.pathname.slice(url.pathname.lastIndexOf('/') + 1) : undefined
    const s = id ? await this.#sessions.get(id) : undefined
    // claimed atomically: concurrent fetches of one request_uri get one answer
    if (!s?.byReference || !(await this.#sessions.claimRequestUri(s.id))) return json(404, { error: 'invalid_request' })
    let res: Response | undefined
    try {
      res = await answerRequestUri(req, {
        encryptedResponse: !!s.encryption,
        ...(this.#o.signer ? { signerAlg: this.#o.signer.alg } : {}),
        sign: (p) => signRequestObject(this.#payload(s, { signed: true, ...p }), this.#signing, this.#o.signer),
      })
    } finally {
      if (res?.status !== 200) await this.#sessions.releaseRequestUri(s.id) // a refused fetch may be retried
    }
    return res
  }

  /** The response endpoint (Fetch API): `application/x-www-form-urlencoded` with `vp_token` and `state`. */
  async handleResponse(req: Request): Promise<Response> {
    if (req.method !== 'POST') return json(405, { error: 'invalid_request' })
    const text = await req.text()
    if (text.length > MAX_BODY) return json(413, { error: 'invalid_request' })
    let form = new URLSearchParams(text)
    let decrypted: JsonObject | undefined
    if (form.has('response')) {
      // direct_post.jwt: the JWE header's kid names the session's key (§8.3).
      const jwe = form.get('response') ?? ''
      const cand = await this.#sessions.getByEncryptionKid(jweKid(jwe) ?? '')
      if (cand?.encryption && !cand.expectedOrigins) {
        try {
          decrypted = await decryptResponse(jwe, privateKeyOf(cand))
        } catch {
          decrypted = undefined
        }
      }
      if (!decrypted) return json(400, { error: 'invalid_request', error_description: 'the response cannot be decrypted' })
      form = new URLSearchParams()
      if (typeof decrypted.state === 'string') form.set('state', decrypted.state)
      form.set('vp_token', JSON.stringify(decrypted.vp_token ?? null))
      const ps = decrypted.presentation_submission
      if (ps !== undefined) form.set('presentation_submission', typeof ps === 'string' ? ps : JSON.stringify(ps))
    }
    const state = form.get('state')
    const id = state ? await this.#sessions.takeState(state) : undefined // state is used once
    const s = id ? await this.#sessions.get(id) : undefined
    if (!s) return json(400, { error: 'invalid_request', error_description: 'unknown or already answered session' })
    if (!!s.encryption !== !!decrypted)
      return json(400, { error: 'invalid_request', error_description: 'this session requires the other response mode' })
    const r = s.presentationDefinition
      ? await validatePexSessionResponse(form, { definition: s.presentationDefinition, ...this.#binding(s) })
      : await this.#validateDcql(s, form)
    const code = this.#o.redirectUri ? this.#rand() : undefined
    if (!(await this.#sessions.complete(s.id, { ...r, state: r.valid ? 'accepted' : 'rejected' }, code)))
      return json(400, { error: 'invalid_request', error_description: 'unknown or already answered session' })
    if (!code) return json(200, {})
    return json(200, { redirect_uri: `${this.#o.redirectUri}#response_code=${code}` })
  }

  /** The binding every response is checked against (§8.2, §8.3): client_id, nonce, response URI, encryption key. */
  #binding(s: Session) {
    return {
      validators: this.#o.validators,
      clientId: this.#o.clientId,
      nonce: s.nonce,
      responseUri: this.#o.responseUri,
      nonceGuard: this.#guard,
      ...(s.encryption ? { jwkThumbprint: jwkThumbprintBytes(s.encryption.jwk) } : {}),
      ...(s.transactionData ? { transactionData: [...s.transactionData] } : {}),
      ...(this.#o.clock ? { clock: this.#o.clock } : {}),
    }
  }

  #validateDcql(s: Session, form: URLSearchParams): Promise<ResponseValidationResult> {
    let vpToken: unknown
    try {
      vpToken = parseJson(form.get('vp_token') ?? '', { maxLength: MAX_BODY })
    } catch {
      vpToken = undefined
    }
    return validateVpToken({ dcql: dcqlOf(s), vpToken, ...this.#binding(s) })
  }

  /**
   * A signed request for the Digital Credentials API (Appendix A.3, protocol `openid4vp-v1-signed`): the page hands
   * `data` to `navigator.credentials.get`; `expected_origins` binds it to those origins. With `encrypt`, the
   * response mode is `dc_api.jwt` (§8.3, A.2): the wallet encrypts to a fresh per-session key.
   */
  async createDcApiRequest(
    dcql: unknown,
    o: { expectedOrigins: string[]; transactionData?: string[]; encrypt?: boolean },
  ): Promise<{
    sessionId: string
    request: string
    nonce: string
    protocol: 'openid4vp-v1-signed'
    data: { request: string }
  }> {
    if (o.expectedOrigins.length === 0)
      throw new Openid4vpError('openid4vp.request_invalid', 'expected_origins must not be empty')
    if (this.#signing.prefix === 'redirect_uri')
      throw new Openid4vpError('openid4vp.request_invalid', 'redirect_uri cannot sign DC API requests')
    parseDcqlQuery(dcql)
    const s = this.#newSession({ dcql: dcql as JsonObject }, o.transactionData, o.encrypt === true, {
      expectedOrigins: o.expectedOrigins,
    })
    const payload = requestPayload({
      clientId: this.#o.clientId,
      withClientId: true,
      responseMode: s.encryption ? 'dc_api.jwt' : 'dc_api',
      nonce: s.nonce,
      ...queryOf(s),
      expectedOrigins: o.expectedOrigins,
      now: this.#now(),
      ...(s.encryption ? { encryption: { jwk: s.encryption.jwk, encs: RESPONSE_ENC_VALUES } } : {}),
      ...(s.transactionData ? { transactionData: [...s.transactionData] } : {}),
    })
    const request = await signRequestObject(payload, this.#signing, this.#o.signer)
    await this.#sessions.create(s)
    return { sessionId: s.id, request, nonce: s.nonce, protocol: 'openid4vp-v1-signed', data: { request } }
  }

  /**
   * Validate what the DC API returned to the page, bound to the origin the browser reported (never one the wallet
   * claims). `dc_api.jwt` sessions require `{ response: JWE }` encrypted to the session key; `dc_api` ones refuse it.
   */
  async validateDcApiResponse(sessionId: string, response: unknown, origin: string): Promise<SessionResult> {
    const s = await this.#sessions.get(sessionId)
    if (!s?.expectedOrigins) throw new Openid4vpError('openid4vp.session_unknown', 'no such DC API session')
    if (await this.#sessions.result(s.id)) throw new Openid4vpError('openid4vp.replay', 'this session was already answered')
    const fail = (code: string, message: string): ResponseValidationResult => ({
      valid: false,
      credentials: [],
      unsatisfiedSets: [],
      error: { code, message },
    })
    let r: ResponseValidationResult
    const params = await dcApiResponseParams(response, s.encryption ? privateKeyOf(s) : undefined)
    if (!params) r = fail('openid4vp.response_invalid', 'the response does not use the session response mode')
    else if (!s.expectedOrigins.includes(origin)) r = fail('openid4vp.request_invalid', 'origin is not an expected origin')
    else
      r = await validateVpToken({
        dcql: dcqlOf(s),
        vpToken: params.vp_token,
        validators: this.#o.validators,
        clientId: this.#o.clientId,
        nonce: s.nonce,
        origin,
        nonceGuard: this.#guard,
        ...(s.encryption ? { jwkThumbprint: jwkThumbprintBytes(s.encryption.jwk) } : {}),
        ...(s.transactionData ? { transactionData: [...s.transactionData] } : {}),
        ...(this.#o.clock ? { clock: this.#o.clock } : {}),
      })
    const result: SessionResult = { ...r, state: r.valid ? 'accepted' : 'rejected' }
    if (!(await this.#sessions.complete(s.id, result)))
      throw new Openid4vpError('openid4vp.replay', 'this session was already answered')
    return result
  }

  /** The validation result of a session (undefined until the wallet answered). */
  async result(sessionId: string): Promise<SessionResult | undefined> {
    if (!(await this.#sessions.get(sessionId))) throw new Openid4vpError('openid4vp.session_unknown', 'no such session')
    return this.#sessions.result(sessionId)
  }

  /** Resume the user's session with the response code from the redirect (single use). */
  resultByResponseCode(code: string): Promise<SessionResult | undefined> {
    return this.#sessions.takeResponseCode(code)
  }
}
