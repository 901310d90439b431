import {
  type Clock,
  type Fetcher,
  isJsonObject,
  type JsonObject,
  OAuthError,
  parseWire,
  type RandomSource,
  systemClock,
  systemRandom,
} from '@bonafide/core'
import type { X5cValidator } from '@bonafide/jose'
import type { JwsAlg, KeyRef, KeyStore, PublicJwk, Signer } from '@bonafide/keys'
import { createClientAttestationPop, createDpopProof, createPkce } from '@bonafide/oauth2'
import { compactDecrypt, exportJWK, generateKeyPair } from 'jose'
import { encryptJson } from '../encryption.js'
import { Openid4vciError } from '../errors.js'
import { type CredentialFormat, FormatRegistry } from '../format.js'
import { PRE_AUTH_GRANT } from '../issuer-options.js'
import { verifySignedIssuerMetadata } from '../signed-metadata.js'
import {
  type AsMetadata,
  type CredentialOffer,
  type IssuerMetadata,
  parseAsMetadata,
  parseCredentialOffer,
  parseIssuerMetadata,
  type TokenResponse,
  zCredentialResponse,
  zTokenResponse,
} from '../wire.js'
import { formBody, jsonOf, send } from './http.js'
import { createJwtProofs, createKeyAttestedProof, type KeyAttestor } from './proofs.js'

export interface WalletClientOptions {
  /** All HTTP goes through this (a private-address-blocking fetcher in production). */
  fetcher: Fetcher
  keyStore: KeyStore
  /** Formats with `validateReceived` (issuer trust lives in the adapters). */
  formats: readonly CredentialFormat[]
  alg?: JwsAlg
  clientId?: string
  /** Wallet attestation for `attest_jwt_client_auth` at PAR and token endpoints. */
  walletAttestation?: { attestation: string; instanceSigner: Signer }
  /** Bind tokens with DPoP using this key (generated in the key store when `true`). */
  dpop?: boolean
  /** Ask for signed metadata (§12.2.3) and verify it against these anchors; `required` refuses unsigned metadata. */
  signedMetadata?: { trust: X5cValidator; required?: boolean }
  clock?: Clock
  random?: RandomSource
}

export interface ResolvedIssuer {
  readonly metadata: IssuerMetadata
  readonly asMetadata: AsMetadata
}

export interface TokenSession {
  readonly issuer: ResolvedIssuer
  readonly token: TokenResponse
  readonly dpop?: Signer
  dpopNonce?: string
}

export interface ReceivedCredential {
  readonly credential: string | JsonObject
  readonly keyRef: KeyRef
  readonly publicJwk: PublicJwk
  readonly claims?: JsonObject
}

export interface RequestCredentialsOptions {
  configurationId: string
  /** How many keys/credentials to ask for (≤ batch_size). */
  count: number
  /** Use key attestation: `jwt` = one proof with `key_attestation` in its header; `attestation` = the attestation proof type. */
  keyAttestation?: { attestor: KeyAttestor; proofType?: 'jwt' | 'attestation'; profile?: 'openid4vci' | 'ts3' }
  /** Ask for an encrypted response. */
  encrypt?: { enc?: 'A128GCM' | 'A256GCM' }
  credentialIdentifier?: string
  /** Include `iss` = client_id in proofs (not for anonymous pre-authorized access). */
  proofIss?: boolean
}

export interface CredentialsResult {
  readonly credentials: readonly ReceivedCredential[]
  readonly notificationId?: string
  readonly transactionId?: string
  readonly interval?: number
  /** Keys generated for a deferred transaction, to pass to `deferred()`. */
  readonly pendingKeys?: readonly { keyRef: KeyRef; publicJwk: PublicJwk }[]
}

type DecryptKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']

function toCredential(c: unknown): string | JsonObject {
  if (typeof c === 'string' || isJsonObject(c)) return c
  throw new Openid4vciError('openid4vci.response_invalid', 'credential must be a string or an object')
}

function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '')
}

function wellKnown(id: string, suffix: string): string {
  const u = new URL(id)
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '')
  return `${u.origin}/.well-known/${suffix}${path}`
}

/**
 * The wallet side of OpenID4VCI 1.0: offers, metadata, tokens (pre-authorized and authorization
 * code with PAR + PKCE + DPoP + wallet attestation), nonces, batch proofs, credential requests.
 */
export class WalletClient {
  readonly #o: WalletClientOptions
  readonly #formats: FormatRegistry
  readonly #clock: Clock
  #dpopSigner: Signer | undefined

  constructor(o: WalletClientOptions) {
    this.#o = o
    this.#formats = new FormatRegistry(o.formats)
    this.#clock = o.clock ?? systemClock
  }

  /** OpenID4VCI §4.1: an `openid-credential-offer://` link, a URL with query, or offer JSON. Untrusted. */
  async resolveOffer(input: string): Promise<CredentialOffer> {
    if (input.length > 16 * 1024) throw new Openid4vciError('openid4vci.offer_invalid', 'offer too large')
    const trimmed = input.trim()
    if (trimmed.startsWith('{')) {
      let v: unknown
      try {
        v = JSON.parse(trimmed)
      } catch {
        throw new Openid4vciError('openid4vci.offer_invalid', 'offer is not JSON')
      }
      return parseCredentialOffer(v)
    }
    let u: URL
    try {
      u = new URL(trimmed)
    } catch {
      throw new Openid4vciError('openid4vci.offer_invalid', 'offer is neither a link nor JSON')
    }
    const byValue = u.searchParams.get('credential_offer')
    const byRef = u.searchParams.get('credential_offer_uri')
    if ((byValue === null) === (byRef === null))
      throw new Openid4vciError('openid4vci.offer_invalid', 'exactly one of credential_offer and credential_offer_uri')
    if (byValue !== null) {
      let v: unknown
      try {
        v = JSON.parse(byValue)
      } catch {
        throw new Openid4vciError('openid4vci.offer_invalid', 'credential_offer is not JSON')
      }
      return parseCredentialOffer(v)
    }
    return parseCredentialOffer(jsonOf(await send(this.#o.fetcher, String(byRef), { method: 'GET' })))
  }

  /** OpenID4VCI §12.2.2 / RFC 8414: fetch metadata; `credential_issuer` must equal the identifier used. */
  async resolveIssuer(credentialIssuer: string): Promise<ResolvedIssuer> {
    const sm = this.#o.signedMetadata
    const reply = await send(this.#o.fetcher, wellKnown(credentialIssuer, 'openid-credential-issuer'), {
      method: 'GET',
      headers: {
        accept: sm ? (sm.required ? 'application/jwt' : 'application/jwt, application/json;q=0.5') : 'application/json',
      },
    })
    let raw: JsonObject
    if (sm && reply.status === 200 && reply.contentType === 'application/jwt') {
      raw = verifySignedIssuerMetadata(reply.text.trim(), { trust: sm.trust, issuer: credentialIssuer, clock: this.#clock })
    } else {
      if (sm?.required) throw new Openid4vciError('openid4vci.metadata_invalid', 'signed metadata is required')
      raw = jsonOf(reply)
    }
    const metadata = parseIssuerMetadata(raw)
    if (!sameIssuer(metadata.credential_issuer, credentialIssuer))
      throw new Openid4vciError('openid4vci.metadata_invalid', 'credential_issuer does not match the identifier used')
    const as = metadata.authorization_servers?.[0] ?? credentialIssuer
    const asMetadata = parseAsMetadata(
      jsonOf(await send(this.#o.fetcher, wellKnown(as, 'oauth-authorization-server'), { method: 'GET' })),
    )
    if (!sameIssuer(asMetadata.issuer, as)) throw new Openid4vciError('openid4vci.metadata_invalid', 'AS issuer does not match')
    for (const id of Object.keys(metadata.credential_configurations_supported)) {
      const c = metadata.credential_configurations_supported[id]
      if (c && isJsonObject(c) && this.#formats.has(c.format)) this.#formats.get(c.format).validateConfiguration(c)
    }
    return { metadata, asMetadata }
  }

  async #dpop(): Promise<Signer | undefined> {
    if (!this.#o.dpop) return undefined
    if (!this.#dpopSigner) {
      const ref = await this.#o.keyStore.generate({ alg: this.#o.alg ?? 'ES256', label: 'dpop' })
      this.#dpopSigner = await this.#o.keyStore.signer(ref)
    }
    return this.#dpopSigner
  }

  async #clientAuthHeaders(audience: string): Promise<Record<string, string>> {
    const wa = this.#o.walletAttestation
    if (!wa || !this.#o.clientId) return {}
    const pop = await createClientAttestationPop({
      instanceSigner: wa.instanceSigner,
      clientId: this.#o.clientId,
      audience,
      clock: this.#clock,
      random: this.#o.random ?? systemRandom,
    })
    return { 'oauth-client-attestation': wa.attestation, 'oauth-client-attestation-pop': pop }
  }

  /** POST with DPoP (when enabled), retrying once on `use_dpop_nonce` (RFC 9449 §8). */
  async #postWithDpop(
    url: string,
    session: { dpop?: Signer; dpopNonce?: string },
    headers: Record<string, string> | (() => Promise<Record<string, string>>),
    body: string,
    accessToken?: string,
  ) {
    for (let attempt = 0; ; attempt++) {
      const h = typeof headers === 'function' ? await headers() : { ...headers }
      if (session.dpop)
        h.dpop = await createDpopProof({
          signer: session.dpop,
          htm: 'POST',
          htu: url,
          clock: this.#clock,
          ...(session.dpopNonce ? { nonce: session.dpopNonce } : {}),
          ...(accessToken ? { accessToken } : {}),
        })
      const r = await send(this.#o.fetcher, url, { method: 'POST', headers: h, body })
      const nonce = r.headers['dpop-nonce']
      if (nonce && /^[\x21-\x7e]{1,256}$/.test(nonce)) session.dpopNonce = nonce
      const isNonceError =
        (r.status === 400 || r.status === 401) &&
        (r.text.includes('"use_dpop_nonce"') || (r.headers['www-authenticate'] ?? '').includes('use_dpop_nonce'))
      if (isNonceError && attempt === 0 && nonce) continue
      return r
    }
  }

  /** OpenID4VCI §6.1: redeem a pre-authorized code (with `tx_code` when the offer asks for one). */
  async tokenPreAuthorized(issuer: ResolvedIssuer, offer: CredentialOffer, o: { txCode?: string } = {}): Promise<TokenSession> {
    const grant = offer.grants?.[PRE_AUTH_GRANT]
    if (!grant) throw new Openid4vciError('openid4vci.token_failed', 'offer has no pre-authorized code')
    if (grant.tx_code && !o.txCode) throw new Openid4vciError('openid4vci.token_failed', 'a transaction code is required')
    const session: { dpop?: Signer; dpopNonce?: string } = {}
    const dpop = await this.#dpop()
    if (dpop) session.dpop = dpop
    const url = issuer.asMetadata.token_endpoint
    const headers = async () => ({
      'content-type': 'application/x-www-form-urlencoded',
      ...(await this.#clientAuthHeaders(issuer.asMetadata.issuer)),
    })
    const body = formBody({ grant_type: PRE_AUTH_GRANT, 'pre-authorized_code': grant['pre-authorized_code'], tx_code: o.txCode })
    const token = parseWire(
      zTokenResponse,
      jsonOf(await this.#postWithDpop(url, session, headers, body)),
      'openid4vci.token_failed',
    )
    return { issuer, token, ...session }
  }

  /**
   * Authorization code flow (OpenID4VCI §5): PAR (RFC 9126) with PKCE S256 and wallet attestation,
   * the user agent step (`userAgent` follows the authorization URL and returns the redirect URL),
   * RFC 9207 `iss` check, then the token request with DPoP.
   */
  async tokenAuthorizationCode(
    issuer: ResolvedIssuer,
    o: {
      configurationIds: readonly string[]
      redirectUri: string
      issuerState?: string
      userAgent: (authorizationUrl: string) => Promise<string>
      /** Send `authorization_details` instead of `scope` (HAIP §4.3 asks for scope; default when every configuration has one). */
      authorizationDetails?: boolean
    },
  ): Promise<TokenSession> {
    const clientId = this.#o.clientId
    const as = issuer.asMetadata
    if (!clientId || !as.pushed_authorization_request_endpoint || !as.authorization_endpoint)
      throw new Openid4vciError(
        'openid4vci.token_failed',
        'authorization code flow needs a client_id, PAR and an authorization endpoint',
      )
    const pkce = createPkce(this.#o.random ?? systemRandom)
    const state = createPkce(this.#o.random ?? systemRandom).verifier.slice(0, 22)
    const parBody = formBody({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: o.redirectUri,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state,
      issuer_state: o.issuerState,
      ...this.#authorizationScope(issuer, o.configurationIds, o.authorizationDetails === true),
    })
    const par = jsonOf(
      await send(this.#o.fetcher, as.pushed_authorization_request_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(await this.#clientAuthHeaders(as.issuer)) },
        body: parBody,
      }),
      [201, 200],
    )
    if (typeof par.request_uri !== 'string')
      throw new Openid4vciError('openid4vci.token_failed', 'PAR response has no request_uri')
    const authUrl = new URL(as.authorization_endpoint)
    authUrl.searchParams.set('client_id', clientId)
    authUrl.searchParams.set('request_uri', par.request_uri)
    const back = new URL(await o.userAgent(authUrl.toString()))
    if (back.searchParams.get('state') !== state) throw new Openid4vciError('openid4vci.token_failed', 'state mismatch')
    if (back.searchParams.get('iss') !== as.issuer)
      throw new Openid4vciError('openid4vci.token_failed', 'iss mismatch (RFC 9207)')
    const code = back.searchParams.get('code')
    if (!code) throw new OAuthError(back.searchParams.get('error') ?? 'access_denied', 'authorization failed')
    const session: { dpop?: Signer; dpopNonce?: string } = {}
    const dpop = await this.#dpop()
    if (dpop) session.dpop = dpop
    const body = formBody({
      grant_type: 'authorization_code',
      code,
      code_verifier: pkce.verifier,
      redirect_uri: o.redirectUri,
      client_id: clientId,
    })
    const headers = async () => ({
      'content-type': 'application/x-www-form-urlencoded',
      ...(await this.#clientAuthHeaders(as.issuer)),
    })
    const token = parseWire(
      zTokenResponse,
      jsonOf(await this.#postWithDpop(as.token_endpoint, session, headers, body)),
      'openid4vci.token_failed',
    )
    return { issuer, token, ...session }
  }

  #authorizationScope(issuer: ResolvedIssuer, ids: readonly string[], details: boolean): Record<string, string> {
    const scopes = ids.map((id) => issuer.metadata.credential_configurations_supported[id]?.scope)
    if (!details && scopes.every((x) => typeof x === 'string')) return { scope: scopes.join(' ') }
    return {
      authorization_details: JSON.stringify(ids.map((id) => ({ type: 'openid_credential', credential_configuration_id: id }))),
    }
  }

  /** RFC 6749 §6: a new access token from the session's refresh token (rotated), same DPoP key. */
  async refresh(s: TokenSession): Promise<TokenSession> {
    const rt = s.token.refresh_token
    if (typeof rt !== 'string') throw new Openid4vciError('openid4vci.token_failed', 'no refresh token')
    const session: { dpop?: Signer; dpopNonce?: string } = {
      ...(s.dpop ? { dpop: s.dpop } : {}),
      ...(s.dpopNonce ? { dpopNonce: s.dpopNonce } : {}),
    }
    const as = s.issuer.asMetadata
    const headers = async () => ({
      'content-type': 'application/x-www-form-urlencoded',
      ...(await this.#clientAuthHeaders(as.issuer)),
    })
    const body = formBody({ grant_type: 'refresh_token', refresh_token: rt })
    const token = parseWire(
      zTokenResponse,
      jsonOf(await this.#postWithDpop(as.token_endpoint, session, headers, body)),
      'openid4vci.token_failed',
    )
    return { issuer: s.issuer, token, ...session }
  }

  /** OpenID4VCI §7: a fresh c_nonce (and, per HAIP §4, a `DPoP-Nonce` when the issuer sends one). */
  async nonce(issuer: ResolvedIssuer, session?: { dpopNonce?: string }): Promise<string> {
    const ep = issuer.metadata.nonce_endpoint
    if (!ep) throw new Openid4vciError('openid4vci.credential_failed', 'issuer has no nonce endpoint')
    const reply = await send(this.#o.fetcher, ep, { method: 'POST' })
    const dn = reply.headers['dpop-nonce']
    if (session && dn && /^[\x21-\x7e]{1,256}$/.test(dn)) session.dpopNonce = dn
    const r = jsonOf(reply)
    if (typeof r.c_nonce !== 'string' || r.c_nonce.length === 0 || r.c_nonce.length > 512)
      throw new Openid4vciError('openid4vci.response_invalid', 'nonce response has no c_nonce')
    return r.c_nonce
  }

  #authHeader(s: TokenSession): string {
    return `${s.token.token_type.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer'} ${s.token.access_token}`
  }

  /** §10: encrypt the request when the issuer requires it, or when it asks for an encrypted response (§8.2). */
  async #requestBody(s: TokenSession, body: JsonObject): Promise<{ type: string; text: string }> {
    const re = s.issuer.metadata.credential_request_encryption
    if (!re || !(re.encryption_required || body.credential_response_encryption !== undefined))
      return { type: 'application/json', text: JSON.stringify(body) }
    const found = re.jwks.keys.find((k) => k.alg === 'ECDH-ES' && k.kty === 'EC')
    const jwk = isJsonObject(found) ? found : undefined
    const enc = (['A128GCM', 'A256GCM'] as const).find((e) => re.enc_values_supported.includes(e))
    if (!jwk || !enc) throw new Openid4vciError('openid4vci.credential_failed', 'no usable request encryption key or enc')
    return { type: 'application/jwt', text: await encryptJson(body, { jwk, enc }) }
  }

  async #protectedPost(s: TokenSession, url: string, body: JsonObject, encryptable = true) {
    // §10 covers the credential and deferred endpoints only; notifications stay plain JSON.
    const b = encryptable ? await this.#requestBody(s, body) : { type: 'application/json', text: JSON.stringify(body) }
    return this.#postWithDpop(
      url,
      s,
      { 'content-type': b.type, authorization: this.#authHeader(s) },
      b.text,
      s.token.access_token,
    )
  }

  /**
   * OpenID4VCI §8: generate `count` fresh keys, prove possession (N proofs, or one key attestation),
   * request, decrypt, and validate every credential (signature, binding to its key, distinct salts).
   * Retries once on `invalid_nonce`.
   */
  async requestCredentials(s: TokenSession, o: RequestCredentialsOptions): Promise<CredentialsResult> {
    const md = s.issuer.metadata
    const conf = md.credential_configurations_supported[o.configurationId]
    if (!conf) throw new Openid4vciError('openid4vci.credential_failed', 'unknown configuration')
    const batch = md.batch_credential_issuance?.batch_size ?? 1
    if (!Number.isInteger(o.count) || o.count < 1) throw new Openid4vciError('openid4vci.credential_failed', 'count must be ≥ 1')
    if (!o.keyAttestation && o.count > batch)
      throw new Openid4vciError('openid4vci.credential_failed', 'count exceeds batch_size')
    const alg = this.#o.alg ?? 'ES256'
    const signers: Signer[] = []
    for (let i = 0; i < o.count; i++) signers.push(await this.#o.keyStore.signer(await this.#o.keyStore.generate({ alg })))
    try {
      const res = await this.#request(s, o, signers, md)
      // Keys the issuer did not bind (key attestation beyond batch_size) are deleted again.
      if (!res.transactionId) {
        const bound = new Set(res.credentials.map((c) => c.keyRef.id))
        for (const x of signers) if (!bound.has(x.keyRef.id)) await this.#o.keyStore.delete(x.keyRef)
      }
      return res
    } catch (e) {
      for (const x of signers) await this.#o.keyStore.delete(x.keyRef).catch(() => undefined)
      throw e
    }
  }

  async #request(
    s: TokenSession,
    o: RequestCredentialsOptions,
    signers: readonly Signer[],
    md: IssuerMetadata,
  ): Promise<CredentialsResult> {
    const identifier = o.credentialIdentifier ?? this.#identifierFor(s, o.configurationId)
    for (let attempt = 0; ; attempt++) {
      const nonce = await this.nonce(s.issuer, s)
      const proofInput = {
        audience: md.credential_issuer,
        nonce,
        clock: this.#clock,
        ...(o.proofIss && this.#o.clientId ? { clientId: this.#o.clientId } : {}),
      }
      let proofs: JsonObject
      if (o.keyAttestation) {
        const ka = await o.keyAttestation.attestor({ keys: signers.map((x) => x.publicJwk), nonce })
        const first = signers[0] as Signer
        proofs =
          o.keyAttestation.proofType === 'attestation'
            ? { attestation: [ka] }
            : { jwt: [await createKeyAttestedProof(first, ka, o.keyAttestation.profile ?? 'openid4vci', proofInput)] }
      } else proofs = { jwt: await createJwtProofs(signers, proofInput) }
      const body: JsonObject = identifier
        ? { credential_identifier: identifier, proofs }
        : { credential_configuration_id: o.configurationId, proofs }
      let decryptKey: DecryptKey | undefined
      const encrypt = o.encrypt ?? (md.credential_response_encryption?.encryption_required ? {} : undefined)
      if (encrypt) {
        const kp = await generateKeyPair('ECDH-ES', { crv: 'P-256' })
        decryptKey = kp.privateKey
        const jwk = await exportJWK(kp.publicKey)
        body.credential_response_encryption = { jwk: { ...jwk, alg: 'ECDH-ES', use: 'enc' }, enc: encrypt.enc ?? 'A128GCM' }
      }
      const r = await this.#protectedPost(s, md.credential_endpoint, body)
      if (r.status === 400 && attempt === 0 && r.text.includes('"invalid_nonce"')) continue
      let json: JsonObject
      if ((r.status === 200 || r.status === 202) && r.contentType === 'application/jwt') {
        if (!decryptKey) throw new Openid4vciError('openid4vci.response_invalid', 'unexpected encrypted response')
        json = await this.#decrypt(r.text, decryptKey)
      } else {
        if (decryptKey && (r.status === 200 || r.status === 202))
          throw new Openid4vciError('openid4vci.response_invalid', 'response was not encrypted as requested')
        json = jsonOf(r, [200, 202])
      }
      return this.#finish(s, o.configurationId, json, signers)
    }
  }

  #identifierFor(s: TokenSession, configurationId: string): string | undefined {
    const d = s.token.authorization_details?.find((x) => x.credential_configuration_id === configurationId)
    return d?.credential_identifiers?.[0]
  }

  async #decrypt(jwe: string, key: DecryptKey): Promise<JsonObject> {
    try {
      const { plaintext } = await compactDecrypt(jwe, key, {
        keyManagementAlgorithms: ['ECDH-ES'],
        contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'],
      })
      const v: unknown = JSON.parse(new TextDecoder().decode(plaintext))
      if (!isJsonObject(v)) throw new Error('not an object')
      return v
    } catch (cause) {
      throw new Openid4vciError('openid4vci.response_invalid', 'encrypted response cannot be decrypted', { cause })
    }
  }

  async #finish(
    s: TokenSession,
    configurationId: string,
    json: JsonObject,
    signers: readonly Signer[],
  ): Promise<CredentialsResult> {
    const r = parseWire(zCredentialResponse, json, 'openid4vci.response_invalid')
    if (r.transaction_id) {
      return {
        credentials: [],
        transactionId: r.transaction_id,
        ...(r.interval ? { interval: r.interval } : {}),
        pendingKeys: signers.map((x) => ({ keyRef: x.keyRef, publicJwk: x.publicJwk })),
      }
    }
    const list = r.credentials ?? []
    if (list.length === 0 || list.length > signers.length)
      throw new Openid4vciError('openid4vci.response_invalid', 'unexpected number of credentials')
    const credentials = await this.validateCredentials(
      s,
      configurationId,
      list.map((c) => toCredential(c.credential)),
      signers,
    )
    return { credentials, ...(r.notification_id ? { notificationId: r.notification_id } : {}) }
  }

  /** Validate received credentials in key order: issuer signature, binding to the requested key, distinct salts. */
  async validateCredentials(
    s: TokenSession,
    configurationId: string,
    creds: readonly (string | JsonObject)[],
    keys: readonly { keyRef: KeyRef; publicJwk: PublicJwk }[],
  ): Promise<ReceivedCredential[]> {
    const raw = s.issuer.metadata.credential_configurations_supported[configurationId]
    const conf: JsonObject = isJsonObject(raw) ? raw : {}
    const fmt = this.#formats.get(String(conf.format))
    if (!fmt.validateReceived) throw new Openid4vciError('openid4vci.format_unknown', 'format cannot validate credentials')
    const salts = new Set<string>()
    const out: ReceivedCredential[] = []
    for (let i = 0; i < creds.length; i++) {
      const key = keys[i]
      const credential = creds[i]
      if (!key || credential === undefined) break
      const v = await fmt.validateReceived({
        credential,
        issuer: s.issuer.metadata.credential_issuer,
        configuration: conf,
        holderKey: key.publicJwk,
        clock: this.#clock,
        fetcher: this.#o.fetcher,
      })
      for (const salt of v.salts) {
        if (salts.has(salt)) throw new Openid4vciError('openid4vci.credential_invalid', 'salts repeat across the batch')
        salts.add(salt)
      }
      out.push({ credential, keyRef: key.keyRef, publicJwk: key.publicJwk, ...(v.claims ? { claims: v.claims } : {}) })
    }
    return out
  }

  /** OpenID4VCI §9: poll the deferred endpoint once. Returns undefined while `issuance_pending`. */
  async deferred(
    s: TokenSession,
    configurationId: string,
    transactionId: string,
    keys: readonly { keyRef: KeyRef; publicJwk: PublicJwk }[],
  ): Promise<CredentialsResult | undefined> {
    const ep = s.issuer.metadata.deferred_credential_endpoint
    if (!ep) throw new Openid4vciError('openid4vci.credential_failed', 'issuer has no deferred endpoint')
    const r = await this.#protectedPost(s, ep, { transaction_id: transactionId })
    if (r.status === 400 && r.text.includes('"issuance_pending"')) return undefined
    const json = parseWire(zCredentialResponse, jsonOf(r), 'openid4vci.response_invalid')
    const creds = (json.credentials ?? []).map((c) => toCredential(c.credential))
    const credentials = await this.validateCredentials(s, configurationId, creds, keys)
    return { credentials, ...(json.notification_id ? { notificationId: json.notification_id } : {}) }
  }

  /** OpenID4VCI §11: tell the issuer what happened to the credentials. */
  async notify(
    s: TokenSession,
    notificationId: string,
    event: 'credential_accepted' | 'credential_failure' | 'credential_deleted',
    description?: string,
  ): Promise<void> {
    const ep = s.issuer.metadata.notification_endpoint
    if (!ep) throw new Openid4vciError('openid4vci.credential_failed', 'issuer has no notification endpoint')
    const r = await this.#protectedPost(
      s,
      ep,
      { notification_id: notificationId, event, ...(description ? { event_description: description } : {}) },
      false,
    )
    if (r.status !== 204 && r.status !== 200) jsonOf(r, [204])
  }

  /** Offer → metadata → token → batch in one call (pre-authorized code flow). */
  async receiveOffer(
    link: string,
    o: Omit<RequestCredentialsOptions, 'configurationId'> & { txCode?: string; configurationId?: string },
  ): Promise<CredentialsResult & { session: TokenSession; offer: CredentialOffer }> {
    const offer = await this.resolveOffer(link)
    const issuer = await this.resolveIssuer(offer.credential_issuer)
    const configurationId = o.configurationId ?? offer.credential_configuration_ids[0] ?? ''
    if (!offer.credential_configuration_ids.includes(configurationId))
      throw new Openid4vciError('openid4vci.offer_invalid', 'configuration not in the offer')
    const session = await this.tokenPreAuthorized(issuer, offer, o.txCode ? { txCode: o.txCode } : {})
    const res = await this.requestCredentials(session, { ...o, configurationId })
    return { ...res, session, offer }
  }
}
