import type { KeyObject } from 'node:crypto'
import type { Clock, JsonObject, RandomSource } from '@bonafide/core'
import type { X5cValidator } from '@bonafide/jose'
import type { JwsAlg, PublicJwk, Signer } from '@bonafide/keys'
import type { CredentialFormat } from './format.js'
import type { KeyAttestationPolicy } from './key-attestation.js'
import type { IssuerStore } from './store.js'

/** What the claims callback learns about a request. */
export interface ClaimsContext {
  readonly sessionId: string
  readonly configurationId: string
  /** Data the application attached to the offer or authorization (never sent to the wallet). */
  readonly sessionData: JsonObject
}

/** Kept by the issuer application; never put into credentials. */
export interface IssuanceAuditRecord {
  readonly batchId: string
  readonly sessionId: string
  readonly configurationId: string
  readonly count: number
  readonly holderKeyThumbprints: readonly string[]
  readonly statusReferences: readonly (JsonObject | undefined)[]
  readonly attested: boolean
  readonly issuedAt: number
  readonly format?: JsonObject
}

export interface NotificationEvent {
  readonly notificationId: string
  readonly sessionId: string
  readonly configurationId: string
  readonly event: 'credential_accepted' | 'credential_failure' | 'credential_deleted'
  readonly description?: string
}

/** What the claims check learns: the configuration the credential is for and the claims about to be issued. */
export interface ClaimsValidationInput {
  readonly configurationId: string
  /** The configuration's `format` (`dc+sd-jwt`, `mso_mdoc`, `jwt_vc_json`, …). */
  readonly format: string
  /** The `credential_configurations_supported` entry (`vct`, `doctype`, `credential_definition`, …). */
  readonly configuration: JsonObject
  readonly claims: JsonObject
}

/** One failed field: a JSON Pointer into the claims and why (never the value: it is logged). */
export interface ClaimsValidationIssue {
  readonly path: string
  readonly message: string
}

/** The outcome of a claims check; a `SchemaReport` from @bonafide/schema fits. */
export interface ClaimsValidationResult {
  readonly valid: boolean
  readonly errors: readonly ClaimsValidationIssue[]
}

/** One status reference per credential: `StatusIndexAllocator` from @bonafide/status-list fits. */
export interface StatusAllocatorLike {
  allocate(n: number): Promise<readonly { uri: string; idx: number }[]>
}

/** What an external authorization server's access token grants (from introspection or a JWT access token). */
export interface ExternalTokenInfo {
  /** Key for the claims callback's session data (the issuer store's `session` entry, if any). */
  readonly sessionId: string
  readonly configurationIds: readonly string[]
  /** `credential_identifiers` → configuration id, when the AS returned authorization_details. */
  readonly credentialIdentifiers?: Readonly<Record<string, string>>
  /** DPoP key thumbprint (`cnf.jkt`) the token is bound to. */
  readonly jkt?: string
  readonly clientId?: string
}

export interface IssuerOptions {
  /** Credential Issuer Identifier (also the built-in authorization server's issuer). */
  issuer: string
  store: IssuerStore
  formats: readonly CredentialFormat[]
  /** `credential_configurations_supported`; `proof_types_supported` is filled in when absent. */
  configurations: Readonly<Record<string, JsonObject>>
  /** `batch_credential_issuance.batch_size` (≥ 2 to advertise batches): the issuer-wide cap (§12.2.4). */
  batchSize: number
  /**
   * A configuration's own cap on proofs and bound keys (≤ `batchSize`; undefined = `batchSize`).
   * Metadata has no per-configuration batch size (§12.2.4 `batch_size` is issuer-wide), so more
   * proofs than this are refused with `invalid_credential_request`, and keys a key attestation
   * attests beyond it are not bound.
   */
  batchSizeFor?: (configurationId: string) => number | undefined
  claims: (ctx: ClaimsContext) => Promise<JsonObject> | JsonObject
  /** `openid4vci` (default): a key-attested proof may be signed by any attested key; `ts3`: by attested_keys[0], without kid. */
  profile?: 'openid4vci' | 'ts3'
  keyAttestation?: KeyAttestationPolicy & { mandatory?: boolean }
  /**
   * Require a key attestation for some configurations only (with `keyAttestation` set and `mandatory`
   * false): their metadata carries `key_attestations_required` (§12.2.4), and a proof without a key
   * attestation is `invalid_proof`. Read once when the issuer is built (metadata) and per request.
   */
  keyAttestationRequiredFor?: (configurationId: string) => boolean
  /** Wallet attestation (`attest_jwt_client_auth`) at PAR and token endpoints. */
  clientAttestation?: { trustedProviders: X5cValidator; required?: boolean }
  /** DPoP at the token endpoint (tokens presented with a proof are bound); `nonce` demands server nonces. */
  dpop?: { required?: boolean; nonce?: boolean }
  /**
   * Use an external authorization server instead of the built-in one: metadata names it, the
   * built-in AS endpoints are not routed, and access tokens are checked by `verifyAccessToken`
   * (undefined = invalid token).
   */
  externalAuthorizationServer?: {
    issuer: string
    verifyAccessToken(token: string, req: Request): Promise<ExternalTokenInfo | undefined>
  }
  /** Approve an authorization request (user authentication happens here); undefined refuses with access_denied. */
  authorize?: (req: {
    clientId: string
    issuerState?: string
    scope?: string
    configurationIds: string[]
  }) => Promise<JsonObject | undefined> | JsonObject | undefined
  /**
   * Check the claims against the credential's schema (JSON Schema, SD-JWT VC type metadata, an mdoc
   * doctype; e.g. built with @bonafide/schema), once per credential request, before any status index
   * is allocated or anything signed. Invalid claims refuse the request with `credential_request_denied`;
   * `onError` sees the failing paths in the cause (`openid4vci.claims_invalid`, `details.errors`).
   */
  validateClaims?: (input: ClaimsValidationInput) => Promise<ClaimsValidationResult> | ClaimsValidationResult
  audit?: (record: IssuanceAuditRecord) => Promise<void> | void
  notification?: (event: NotificationEvent) => Promise<void> | void
  statusAllocator?: StatusAllocatorLike
  /** Decide to defer a request (return true), and later whether it is ready. */
  deferred?: {
    defer(ctx: ClaimsContext): Promise<boolean> | boolean
    ready(transactionId: string, ctx: ClaimsContext): Promise<boolean> | boolean
    intervalSeconds?: number
  }
  /**
   * Credential request and response encryption (ECDH-ES with A128GCM/A256GCM, §10). `required`
   * applies to both; `requestKey` is the P-256 private key for requests (generated when absent).
   */
  encryption?: { required?: boolean; enc?: readonly ('A128GCM' | 'A256GCM')[]; requestKey?: KeyObject }
  proofAlgorithms?: readonly JwsAlg[]
  /** Resolve `kid` proof keys (DID URLs); without it only `jwk` and `x5c` proofs are accepted. */
  resolveProofKid?: (kid: string) => Promise<PublicJwk | undefined>
  /** Serve signed metadata (§12.2.3) to wallets that accept `application/jwt`. */
  signedMetadata?: { signer: Signer; x5c?: string[]; validForSeconds?: number }
  display?: JsonObject[]
  txCodeMaxAttempts?: number
  accessTokenTtlSeconds?: number
  /** Issue rotating refresh tokens with this lifetime (off when absent). */
  refreshTokenTtlSeconds?: number
  nonceTtlSeconds?: number
  offerTtlSeconds?: number
  clock?: Clock
  random?: RandomSource
  /** Observe errors (logging); never changes the response. */
  onError?: (e: unknown) => void
  /** Maximum request body (default 256 KiB, enough for 50+ proofs). */
  maxBodyBytes?: number
}

export const PATHS = {
  issuerMetadata: '/.well-known/openid-credential-issuer',
  asMetadata: '/.well-known/oauth-authorization-server',
  offer: '/credential-offer',
  par: '/par',
  authorize: '/authorize',
  token: '/token',
  nonce: '/nonce',
  credential: '/credential',
  deferred: '/deferred_credential',
  notification: '/notification',
} as const

export const DEFAULT_ALGS: readonly JwsAlg[] = ['ES256', 'ES384', 'ES512', 'EdDSA']
export const PRE_AUTH_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'
