import type { Clock, Fetcher, JsonObject } from '@bonafide/core'
import type { PublicJwk } from '@bonafide/keys'
import { Openid4vciError } from './errors.js'

/** One credential to mint: the holder key it binds to and its own status reference. */
export interface IssueEntry {
  readonly holderKey: PublicJwk
  /** e.g. `{ status_list: { idx, uri } }` (Token Status List), one per credential. */
  readonly status?: JsonObject
}

export interface IssueBatchInput {
  readonly issuer: string
  readonly configurationId: string
  /** The `credential_configurations_supported` entry. */
  readonly configuration: JsonObject
  readonly claims: JsonObject
  readonly entries: readonly IssueEntry[]
  readonly clock: Clock
}

export interface IssueBatchResult {
  /** One per entry, in order: a string or a JSON object as the format's profile says. */
  readonly credentials: readonly (string | JsonObject)[]
  /** RFC 7638 thumbprints of the holder keys, in order, when the format computed them anyway. */
  readonly holderKeyThumbprints?: readonly string[]
  /** Format-specific audit data (never part of the credentials). */
  readonly audit?: JsonObject
}

export interface ValidateReceivedInput {
  readonly credential: string | JsonObject
  readonly issuer: string
  readonly configuration: JsonObject
  /** The key this credential was requested for. */
  readonly holderKey: PublicJwk
  readonly clock: Clock
  readonly fetcher?: Fetcher
}

export interface ValidatedCredential {
  /** Salts (SD-JWT) or random values (mdoc) that must be distinct across a batch. */
  readonly salts: readonly string[]
  readonly claims?: JsonObject
  readonly status?: JsonObject
}

/**
 * A credential format plugged into the protocol. The handlers know format ids and metadata,
 * never format code: adapters live at `@bonafide/openid4vci/formats`.
 */
export interface CredentialFormat {
  /** The OpenID4VCI format identifier (`dc+sd-jwt`, `mso_mdoc`, `jwt_vc_json`). */
  readonly format: string
  /** Check a configuration's format-specific metadata (throws). */
  validateConfiguration(configuration: JsonObject): void
  /** Issuer side: mint one credential per entry. */
  issueBatch?(input: IssueBatchInput): Promise<IssueBatchResult>
  /** Wallet side: check a received credential (signature, binding to `holderKey`). */
  validateReceived?(input: ValidateReceivedInput): Promise<ValidatedCredential>
}

/** Formats by id. */
export class FormatRegistry {
  readonly #m = new Map<string, CredentialFormat>()
  constructor(formats: readonly CredentialFormat[] = []) {
    for (const f of formats) this.register(f)
  }
  register(f: CredentialFormat): void {
    this.#m.set(f.format, f)
  }
  get(format: string): CredentialFormat {
    const f = this.#m.get(format)
    if (!f) throw new Openid4vciError('openid4vci.format_unknown', 'no adapter for this credential format')
    return f
  }
  has(format: string): boolean {
    return this.#m.has(format)
  }
}
