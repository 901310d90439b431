import type { KeyObject } from 'node:crypto'
import {
  b64uEncode,
  type Clock,
  isJsonObject,
  type JsonObject,
  parseJson,
  type RandomSource,
  systemClock,
  systemRandom,
} from '@bonafide/core'
import { signCompactJws } from '@bonafide/jose'
import type { PublicJwk, Signer } from '@bonafide/keys'
import { parseDcqlQuery } from '../dcql/query.js'
import { createResponseEncryptionKey, decryptResponse, jwkThumbprintBytes, RESPONSE_ENC_VALUES } from '../encryption.js'
import { Openid4vpError } from '../errors.js'
import {
  MemoryNonceGuard,
  type NonceGuard,
  type PresentationValidator,
  type ResponseValidationResult,
  validateVpToken,
} from '../validate.js'

export interface VerifierOptions {
  /** With its prefix, e.g. `x509_san_dns:verifier.example` (the leaf certificate's SAN must name it). */
  clientId: string
  signer: Signer
  /** The certificate chain of the signing key (standard base64 DER, leaf first). */
  x5c: string[]
  /** Absolute URL where wallets POST responses (`direct_post`). */
  responseUri: string
  validators: readonly PresentationValidator[]
  nonceGuard?: NonceGuard
  clock?: Clock
  random?: RandomSource
  /** Where the wallet sends the user after posting (with a response code appended); optional. */
  redirectUri?: string
  /** `direct_post` (default) or `direct_post.jwt` (encrypted to a fresh key per request, §8.3). */
  responseMode?: 'direct_post' | 'direct_post.jwt'
}

interface Session {
  id: string
  nonce: string
  state: string
  dcql: JsonObject
  transactionData?: string[]
  result?: ResponseValidationResult & { state: string }
  responseCode?: string
  encryption?: { privateKey: KeyObject; jwk: PublicJwk }
  expectedOrigins?: string[]
}

const MAX_BODY = 1 << 20

/**
 * An OpenID4VP 1.0 verifier: signed request objects (`oauth-authz-req+jwt`, by value) in
 * `openid4vp://` links, `direct_post` responses validated atomically, state and nonce used once,
 * and a response code to resume the user's session (§8.2).
 */
export class Verifier {
  readonly #o: VerifierOptions
  readonly #sessions = new Map<string, Session>()
  readonly #byState = new Map<string, string>()
  readonly #guard: NonceGuard

  constructor(o: VerifierOptions) {
    this.#o = o
    this.#guard = o.nonceGuard ?? new MemoryNonceGuard()
  }

  #rand(): string {
    return b64uEncode((this.#o.random ?? systemRandom).bytes(24))
  }

  /** Start a session for a DCQL query; returns the wallet link and the session id. */
  async createRequest(
    dcql: unknown,
    o: { transactionData?: string[] } = {},
  ): Promise<{ sessionId: string; link: string; requestObject: string; nonce: string }> {
    parseDcqlQuery(dcql) // refuse an invalid query before anything is signed
    const s: Session = {
      id: this.#rand(),
      nonce: this.#rand(),
      state: this.#rand(),
      dcql: dcql as JsonObject,
      ...(o.transactionData ? { transactionData: o.transactionData } : {}),
    }
    const now = Math.floor((this.#o.clock ?? systemClock).now() / 1000)
    const encrypted = this.#o.responseMode === 'direct_post.jwt'
    if (encrypted) s.encryption = createResponseEncryptionKey()
    const payload: JsonObject = {
      client_id: this.#o.clientId,
      response_type: 'vp_token',
      response_mode: encrypted ? 'direct_post.jwt' : 'direct_post',
      ...(s.encryption
        ? {
            client_metadata: {
              jwks: { keys: [s.encryption.jwk as unknown as JsonObject] },
              encrypted_response_enc_values_supported: [...RESPONSE_ENC_VALUES],
            },
          }
        : {}),
      response_uri: this.#o.responseUri,
      nonce: s.nonce,
      state: s.state,
      dcql_query: s.dcql,
      aud: 'https://self-issued.me/v2',
      iat: now,
      exp: now + 600,
      ...(s.transactionData ? { transaction_data: s.transactionData } : {}),
    }
    const requestObject = await signCompactJws({ typ: 'oauth-authz-req+jwt', x5c: this.#o.x5c }, payload, this.#o.signer)
    this.#sessions.set(s.id, s)
    this.#byState.set(s.state, s.id)
    const link = `openid4vp://?client_id=${encodeURIComponent(this.#o.clientId)}&request=${requestObject}`
    return { sessionId: s.id, link, requestObject, nonce: s.nonce }
  }

  /** The response endpoint (Fetch API): `application/x-www-form-urlencoded` with `vp_token` and `state`. */
  async handleResponse(req: Request): Promise<Response> {
    const json = (status: number, body: JsonObject) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } })
    if (req.method !== 'POST') return json(405, { error: 'invalid_request' })
    const text = await req.text()
    if (text.length > MAX_BODY) return json(413, { error: 'invalid_request' })
    let form = new URLSearchParams(text)
    let decrypted: JsonObject | undefined
    if (form.has('response')) {
      // direct_post.jwt: find the session by the key that can decrypt (the kid names it).
      const jwe = form.get('response') ?? ''
      for (const cand of this.#sessions.values()) {
        if (!cand.encryption || cand.result) continue
        try {
          decrypted = await decryptResponse(jwe, cand.encryption.privateKey)
          break
        } catch {
          // not this session's key
        }
      }
      if (!decrypted) return json(400, { error: 'invalid_request', error_description: 'the response cannot be decrypted' })
      form = new URLSearchParams()
      if (typeof decrypted.state === 'string') form.set('state', decrypted.state)
      form.set('vp_token', JSON.stringify(decrypted.vp_token ?? null))
    }
    const state = form.get('state')
    const id = state ? this.#byState.get(state) : undefined
    const s = id ? this.#sessions.get(id) : undefined
    if (!s || s.result) return json(400, { error: 'invalid_request', error_description: 'unknown or already answered session' })
    if (!!s.encryption !== !!decrypted)
      return json(400, { error: 'invalid_request', error_description: 'this session requires the other response mode' })
    this.#byState.delete(s.state) // state is used once
    let vpToken: unknown
    try {
      vpToken = parseJson(form.get('vp_token') ?? '', { maxLength: MAX_BODY })
    } catch {
      vpToken = undefined
    }
    const r = await validateVpToken({
      dcql: parseDcqlQuery(s.dcql),
      vpToken,
      validators: this.#o.validators,
      clientId: this.#o.clientId,
      nonce: s.nonce,
      responseUri: this.#o.responseUri,
      nonceGuard: this.#guard,
      ...(s.encryption ? { jwkThumbprint: jwkThumbprintBytes(s.encryption.jwk) } : {}),
      ...(s.transactionData ? { transactionData: s.transactionData } : {}),
      ...(this.#o.clock ? { clock: this.#o.clock } : {}),
    })
    s.result = { ...r, state: r.valid ? 'accepted' : 'rejected' }
    if (!this.#o.redirectUri) return json(200, {})
    s.responseCode = this.#rand()
    return json(200, { redirect_uri: `${this.#o.redirectUri}#response_code=${s.responseCode}` })
  }

  /**
   * A request for the Digital Credentials API (Appendix A, response mode `dc_api`): the request object is
   * handed to `navigator.credentials.get` by the verifier's page; `expected_origins` binds it to those origins.
   */
  async createDcApiRequest(
    dcql: unknown,
    o: { expectedOrigins: string[]; transactionData?: string[] },
  ): Promise<{ sessionId: string; request: string; nonce: string }> {
    parseDcqlQuery(dcql)
    if (o.expectedOrigins.length === 0)
      throw new Openid4vpError('openid4vp.request_invalid', 'expected_origins must not be empty')
    const s: Session = {
      id: this.#rand(),
      nonce: this.#rand(),
      state: this.#rand(),
      dcql: dcql as JsonObject,
      expectedOrigins: o.expectedOrigins,
      ...(o.transactionData ? { transactionData: o.transactionData } : {}),
    }
    const now = Math.floor((this.#o.clock ?? systemClock).now() / 1000)
    const request = await signCompactJws(
      { typ: 'oauth-authz-req+jwt', x5c: this.#o.x5c },
      {
        client_id: this.#o.clientId,
        response_type: 'vp_token',
        response_mode: 'dc_api',
        nonce: s.nonce,
        dcql_query: s.dcql,
        expected_origins: o.expectedOrigins,
        aud: 'https://self-issued.me/v2',
        iat: now,
        exp: now + 600,
        ...(s.transactionData ? { transaction_data: s.transactionData } : {}),
      },
      this.#o.signer,
    )
    this.#sessions.set(s.id, s)
    return { sessionId: s.id, request, nonce: s.nonce }
  }

  /** Validate what the DC API returned to the page, bound to the origin the browser reported (never one the wallet claims). */
  async validateDcApiResponse(
    sessionId: string,
    response: unknown,
    origin: string,
  ): Promise<ResponseValidationResult & { state: string }> {
    const s = this.#sessions.get(sessionId)
    if (!s?.expectedOrigins) throw new Openid4vpError('openid4vp.session_unknown', 'no such DC API session')
    if (s.result) throw new Openid4vpError('openid4vp.replay', 'this session was already answered')
    const r = s.expectedOrigins.includes(origin)
      ? await validateVpToken({
          dcql: parseDcqlQuery(s.dcql),
          vpToken: isJsonObject(response) ? response.vp_token : undefined,
          validators: this.#o.validators,
          clientId: this.#o.clientId,
          nonce: s.nonce,
          origin,
          nonceGuard: this.#guard,
          ...(s.transactionData ? { transactionData: s.transactionData } : {}),
          ...(this.#o.clock ? { clock: this.#o.clock } : {}),
        })
      : {
          valid: false,
          credentials: [],
          unsatisfiedSets: [],
          error: { code: 'openid4vp.request_invalid', message: 'origin is not an expected origin' },
        }
    s.result = { ...r, state: r.valid ? 'accepted' : 'rejected' }
    return s.result
  }

  /** The validation result of a session (undefined until the wallet answered). */
  result(sessionId: string): (ResponseValidationResult & { state: string }) | undefined {
    const s = this.#sessions.get(sessionId)
    if (!s) throw new Openid4vpError('openid4vp.session_unknown', 'no such session')
    return s.result
  }

  /** Resume the user's session with the response code from the redirect (single use). */
  resultByResponseCode(code: string): (ResponseValidationResult & { state: string }) | undefined {
    for (const s of this.#sessions.values()) {
      if (s.responseCode && s.responseCode === code) {
        delete s.responseCode
        return s.result
      }
    }
    return undefined
  }
}
