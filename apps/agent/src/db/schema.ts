import type { ColumnType, Generated, JSONColumnType } from 'kysely'

/** Times are milliseconds since the epoch (int8), from the injected clock, never the database's. */
type Ms = number
type Json = ColumnType<unknown, string, string>

export interface ApiKeyTable {
  id: string
  name: string
  /** SHA-256 of the whole key (base64url); the key itself is shown once and never stored. */
  hash: string
  scopes: JSONColumnType<string[]>
  created_at: Ms
  revoked_at: Ms | null
}

export interface SigningKeyTable {
  id: string
  /** `issuer` (signs credentials and lists) or `root` (the development CA). */
  role: string
  alg: string
  public_jwk: JSONColumnType<Record<string, unknown>>
  /** AES-256-GCM under the key-encryption key: base64url(iv || ciphertext || tag). */
  private_enc: string
  /** Base64 DER certificate (x5c entry). */
  certificate: string | null
  created_at: Ms
  /** When it stopped signing (null while active). */
  retired_at: Ms | null
  /** Published until: the end of the validity of the last credential it signed. */
  publish_until: Ms | null
}

export interface IssuerStateTable {
  kind: string
  key: string
  value: Json | null
  counter: number | null
  expires_at: Ms
}

export interface CredentialConfigurationTable {
  id: string
  format: string
  /** The `credential_configurations_supported` entry as published. */
  metadata: JSONColumnType<Record<string, unknown>>
  schema_id: string | null
  batch_size: number
  key_attestation_required: boolean
  validity_seconds: number
  status_kind: string
  requires_approval: boolean
  store_claims: boolean
  created_at: Ms
  retired_at: Ms | null
}

export interface IssuanceSessionTable {
  id: string
  /** The OpenID4VCI issuer's own session key (from createOffer). */
  protocol_session_id: string
  configuration_ids: JSONColumnType<string[]>
  state: string
  claims: JSONColumnType<Record<string, unknown>> | null
  tx_code: boolean
  requires_approval: boolean
  approval: string | null
  approval_reason: string | null
  expected: number
  issued: number
  error: string | null
  offer_uri: string
  expires_at: Ms
  created_at: Ms
  updated_at: Ms
}

export interface IssuedCredentialTable {
  id: string
  session_id: string
  configuration_id: string
  format: string
  batch_id: string
  status_list_id: string | null
  status_index: number | null
  holder_key_thumbprint: string
  status: string
  signing_key_id: string
  issued_at: Ms
  expires_at: Ms
  claims: Json | null
}

export interface StatusListTable {
  id: string
  uri: string
  size: number
  bits: number
  /** Key of the index permutation (base64url): never leaves the agent. */
  secret: string
  /** Allocation counter (may pass size when the list fills). */
  next: number
  /** Packed statuses (Token Status List layout). */
  bytes: Uint8Array
  /** Bumped on every status change; published tokens are cached per version. */
  version: number
  active: boolean
  created_at: Ms
}

export interface SchemaTable {
  id: string
  name: string
  version: string
  major: number
  minor: number
  patch: number
  author: string
  tags: JSONColumnType<string[]>
  /** The whole CredentialSchema record as stored (frozen on read). */
  record: JSONColumnType<Record<string, unknown>>
  created_at: Ms
}

export interface EventTable {
  seq: Generated<number>
  id: string
  type: string
  subject: string
  data: JSONColumnType<Record<string, unknown>>
  created_at: Ms
}

export interface SettingTable {
  key: string
  value: JSONColumnType<Record<string, unknown>>
}

export interface VerifierSessionTable {
  id: string
  state: string
  kid: string | null
  session: JSONColumnType<Record<string, unknown>>
  by_reference: boolean
  fetched: boolean
  state_used: boolean
  result: JSONColumnType<Record<string, unknown>> | null
  response_code: string | null
  expires_at: Ms
}

export interface PresentationSessionTable {
  id: string
  /** created → request_fetched → verified | verification_failed → accepted | rejected | expired */
  state: string
  /** `dcql` or `pex` */
  query_kind: string
  query: JSONColumnType<Record<string, unknown>>
  response_mode: string
  transaction_data: JSONColumnType<string[]> | null
  policy: JSONColumnType<Record<string, unknown>> | null
  report: JSONColumnType<Record<string, unknown>> | null
  reason: string | null
  request_uri: string
  created_at: Ms
  updated_at: Ms
  expires_at: Ms
}

export interface VerifierTrustTable {
  id: string
  /** `x509_root` (PEM), `issuer_key` (JWK JSON), `did`, `wallet_provider` (PEM or JWK JSON) */
  kind: string
  value: string
  label: string | null
  created_at: Ms
}

export interface HolderKeyTable {
  id: string
  alg: string
  public_jwk: JSONColumnType<Record<string, unknown>>
  /** PKCS#8 sealed under the key-encryption key (AAD `holder-key:<id>`). */
  private_enc: string
  label: string | null
  created_at: Ms
}

export interface WalletPoolTable {
  id: string
  record: JSONColumnType<Record<string, unknown>>
  created_at: Ms
}

export interface WalletCopyTable {
  seq: Generated<number>
  id: string
  pool_id: string
  /** The CopyRecord (uses and state are the columns, authoritative). */
  record: JSONColumnType<Record<string, unknown>>
  uses: number
  state: string
  valid_until: Ms | null
}

export interface WalletLogTable {
  seq: Generated<number>
  id: string
  at: Ms
  entry: JSONColumnType<Record<string, unknown>>
}

export interface HolderRequestTable {
  id: string
  request: JSONColumnType<Record<string, unknown>>
  /** planned → answering → answered | failed */
  state: string
  result: JSONColumnType<Record<string, unknown>> | null
  created_at: Ms
  expires_at: Ms
}

export interface WebhookTable {
  id: string
  url: string
  event_types: JSONColumnType<string[]>
  /** The signing secret sealed under the key-encryption key (AAD `webhook:<id>`). */
  secret_enc: string
  active: boolean
  created_at: Ms
}

export interface WebhookDeliveryTable {
  id: string
  webhook_id: string
  event_id: string
  /** pending → delivered | dead */
  state: string
  attempts: Generated<number>
  next_attempt_at: Ms
  last_status: number | null
  last_error: string | null
  created_at: Ms
  delivered_at: Ms | null
}

export interface WebhookAttemptTable {
  seq: Generated<number>
  delivery_id: string
  at: Ms
  status: number | null
  error: string | null
  duration_ms: number
}

export interface IdempotencyKeyTable {
  /** SHA-256 of (API key id, Idempotency-Key). */
  key: string
  request_hash: string
  /** null while the first request is in flight. */
  status: number | null
  response: JSONColumnType<Record<string, unknown>> | null
  created_at: Ms
  expires_at: Ms
}

export interface AnonCredsSchemaTable {
  id: string
  issuer_id: string
  name: string
  version: string
  record: Json
  created_at: Ms
}

export interface AnonCredsCredentialDefinitionTable {
  id: string
  schema_id: string
  issuer_id: string
  tag: string
  /** The public credential definition, as anoncreds-rs serializes it. */
  record: Json
  key_correctness_proof: Json
  /** The private part, sealed under the KEK (AAD `anoncreds-cred-def:<id>`). */
  private_enc: string
  created_at: Ms
}

export interface DB {
  api_keys: ApiKeyTable
  signing_keys: SigningKeyTable
  issuer_state: IssuerStateTable
  credential_configurations: CredentialConfigurationTable
  issuance_sessions: IssuanceSessionTable
  issued_credentials: IssuedCredentialTable
  status_lists: StatusListTable
  schemas: SchemaTable
  events: EventTable
  settings: SettingTable
  verifier_sessions: VerifierSessionTable
  presentation_sessions: PresentationSessionTable
  verifier_trust: VerifierTrustTable
  holder_keys: HolderKeyTable
  wallet_pools: WalletPoolTable
  wallet_copies: WalletCopyTable
  wallet_log: WalletLogTable
  holder_requests: HolderRequestTable
  webhooks: WebhookTable
  webhook_deliveries: WebhookDeliveryTable
  webhook_attempts: WebhookAttemptTable
  idempotency_keys: IdempotencyKeyTable
  anoncreds_schemas: AnonCredsSchemaTable
  anoncreds_credential_definitions: AnonCredsCredentialDefinitionTable
}
