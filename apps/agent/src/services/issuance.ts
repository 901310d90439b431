import { randomBytes } from 'node:crypto'
import { type Clock, type JsonObject, OAuthError } from '@bonafide/core'
import { createX5cValidator, type X5cValidator } from '@bonafide/jose'
import { createIssuer, type IssuanceAuditRecord, type Issuer, type NotificationEvent } from '@bonafide/openid4vci'
import type { SchemaRegistry } from '@bonafide/schema'
import type { Db } from '../db/database.js'
import { appendEvent } from '../db/repositories/events.js'
import { IssuanceStore } from '../db/repositories/issuance-store.js'
import { recordBatch, sessionClaims } from '../db/repositories/issued-records.js'
import { checkClaims } from './claims-check.js'
import type { ConfigurationService, CredentialConfiguration } from './configurations.js'
import { buildFormats } from './formats.js'
import type { KeyService } from './keys.js'
import type { StatusService } from './status.js'
import type { TrustService } from './trust.js'
import { type HostedTypeMetadata, typeMetadataFor } from './type-metadata.js'

export interface IssuanceDeps {
  db: Db
  clock: Clock
  publicUrl: string
  keys: KeyService
  configs: ConfigurationService
  status: StatusService
  registry: SchemaRegistry
  /** Wallet providers whose key attestations the issuer accepts (trust kind `wallet_provider`). */
  trust: TrustService
  /** Key-attested proofs: `openid4vci` (default, signed by any attested key) or `ts3` (by attested_keys[0]). */
  keyAttestationProfile?: 'openid4vci' | 'ts3'
  onError?: (e: unknown) => void
  /** After a batch's records commit (metrics). */
  onIssued?: (format: string, count: number) => void
  /**
   * Who is the user, at the authorization endpoint: return data for the session to approve, undefined
   * to refuse. Default: approve requests that carry an offer's issuer_state (the offer names the
   * subject), refuse wallet-initiated ones (the agent has no user directory of its own).
   */
  authorizeUser?: (req: {
    clientId: string
    issuerState?: string
    scope?: string
    configurationIds: string[]
  }) => Promise<JsonObject | undefined> | JsonObject | undefined
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`

/**
 * Key attestations (OpenID4VCI Appendix D.1) are accepted when their x5c chains to the agent's own root
 * (its development wallet provider, `KeyService.walletProvider()`) or to a `wallet_provider` trust entry
 * that is a PEM CA. JWK-valued entries are skipped: a key attestation names its signer by x5c here, and a
 * bare key cannot anchor an X.509 chain (the library's policy is an X5cValidator).
 */
async function walletProviderValidator(keys: KeyService, trust: TrustService): Promise<X5cValidator> {
  const m = await trust.material()
  const pems = m.walletProviders.filter((v) => !v.trimStart().startsWith('{'))
  return createX5cValidator([await keys.rootPem(), ...pems])
}

/**
 * The OpenID4VCI issuer over the agent's database. Rebuilt when the configurations, the signing key or
 * the trust list change; every protocol step's state lives in PostgreSQL, so nothing is lost on restart.
 */
export class IssuerRuntime {
  readonly #d: IssuanceDeps
  #built:
    | {
        issuer: Issuer
        version: number
        trustVersion: number
        keyId: string
        configs: Map<string, CredentialConfiguration>
        typeMetadata: Map<string, HostedTypeMetadata>
      }
    | undefined
  readonly store: IssuanceStore

  constructor(d: IssuanceDeps) {
    this.#d = d
    this.store = new IssuanceStore(d.db, { clock: d.clock })
  }

  async current(): Promise<{
    issuer: Issuer
    configs: Map<string, CredentialConfiguration>
    typeMetadata: Map<string, HostedTypeMetadata>
  }> {
    const key = await this.#d.keys.active()
    const b = this.#built
    const version = this.#d.configs.version
    const trustVersion = this.#d.trust.version
    if (b && b.version === version && b.trustVersion === trustVersion && b.keyId === key.id) return b
    const trustedProviders = await walletProviderValidator(this.#d.keys, this.#d.trust)
    const list = await this.#d.configs.list()
    const configs = new Map(list.map((c) => [c.id, c]))
    const typeMetadata = new Map<string, HostedTypeMetadata>()
    for (const c of list) {
      const t = await typeMetadataFor(c, this.#d.registry)
      if (t) typeMetadata.set(c.id, t)
    }
    const issuer = createIssuer({
      issuer: this.#d.publicUrl,
      store: this.store,
      formats: buildFormats({ key, configs, status: this.#d.status, vctIntegrity: (id) => typeMetadata.get(id)?.integrity }),
      configurations: Object.fromEntries(list.map((c) => [c.id, c.metadata])),
      // §12.2.4: batch_size is issuer-wide (the largest); each configuration's own is enforced per request.
      batchSize: Math.max(2, ...list.map((c) => c.batchSize)),
      batchSizeFor: (id) => configs.get(id)?.batchSize,
      // Optional issuer-wide; required where a configuration says so (its metadata carries key_attestations_required).
      keyAttestation: { trustedProviders, mandatory: false },
      keyAttestationRequiredFor: (id) => configs.get(id)?.keyAttestationRequired === true,
      profile: this.#d.keyAttestationProfile ?? 'openid4vci',
      claims: (ctx) => this.#claims(String(ctx.sessionData.issuanceId), ctx.configurationId),
      validateClaims: async (i) => {
        const c = configs.get(i.configurationId)
        return c
          ? checkClaims(c, i.claims, this.#d.registry)
          : { valid: false, errors: [{ path: '', message: 'unknown configuration' }] }
      },
      statusAllocator: { allocate: (n) => this.#d.status.allocator.allocate(n) },
      audit: (r) => this.#record(r, configs, key.id),
      notification: (e) => this.#notified(e),
      deferred: {
        defer: (ctx) => ctx.sessionData.requiresApproval === true,
        ready: (_tx, ctx) => this.#approved(String(ctx.sessionData.issuanceId)),
        intervalSeconds: 5,
      },
      authorize: this.#d.authorizeUser ?? ((r) => (r.issuerState ? { offer: true } : undefined)),
      refreshTokenTtlSeconds: 30 * 86400,
      offerTtlSeconds: 30 * 86400,
      encryption: {},
      clock: this.#d.clock,
      display: [{ name: 'Bonafide agent', locale: 'en' }],
      ...(this.#d.onError ? { onError: this.#d.onError } : {}),
    })
    this.#built = { issuer, version, trustVersion, keyId: key.id, configs, typeMetadata }
    return this.#built
  }

  async #claims(issuanceId: string, configurationId: string): Promise<JsonObject> {
    const all = ((await sessionClaims(this.#d.db, issuanceId)) ?? {}) as Record<string, JsonObject>
    const c = all[configurationId]
    if (!c) throw new OAuthError('credential_request_denied', 'no claims for this configuration')
    return c
  }

  async #approved(issuanceId: string): Promise<boolean> {
    const s = await this.#d.db
      .selectFrom('issuance_sessions')
      .select(['approval'])
      .where('id', '=', issuanceId)
      .executeTakeFirst()
    if (s?.approval === 'rejected') throw new OAuthError('credential_request_denied', 'the issuer declined this request')
    return s?.approval === 'approved'
  }

  /** One batch: the session's progress, its records, the event and its webhook deliveries, in one statement. */
  async #record(r: IssuanceAuditRecord, configs: Map<string, CredentialConfiguration>, keyId: string): Promise<void> {
    const c = configs.get(r.configurationId)
    await recordBatch(this.#d.db, {
      protocolSessionId: r.sessionId,
      now: this.#d.clock.now(),
      configurationId: r.configurationId,
      format: c?.format ?? 'unknown',
      batchId: r.batchId,
      signingKeyId: keyId,
      issuedAt: r.issuedAt * 1000,
      expiresAt: r.issuedAt * 1000 + (c?.validitySeconds ?? 0) * 1000,
      storeClaims: c?.storeClaims === true,
      eventData: { batchId: r.batchId, configurationId: r.configurationId, count: r.count },
      items: r.holderKeyThumbprints.map((thumbprint, i) => {
        const ref = r.statusReferences[i]?.status_list as { uri?: string; idx?: number } | undefined
        return {
          id: newId('cred'),
          listId: ref?.uri ? (this.#d.status.listIdOf(ref.uri) ?? null) : null,
          index: typeof ref?.idx === 'number' ? ref.idx : null,
          thumbprint,
        }
      }),
    })
    this.#d.onIssued?.(c?.format ?? 'unknown', r.count)
  }

  async #notified(e: NotificationEvent): Promise<void> {
    const now = this.#d.clock.now()
    const state = e.event === 'credential_failure' ? 'failed' : e.event === 'credential_accepted' ? 'completed' : undefined
    await this.#d.db.transaction().execute(async (trx) => {
      let q = trx.updateTable('issuance_sessions').set({ updated_at: now }).where('protocol_session_id', '=', e.sessionId)
      if (state)
        q = q
          .set({ state, ...(state === 'failed' ? { error: e.description ?? 'credential_failure' } : {}) })
          .where('state', '=', 'credentials_issued')
      const s = await q.returning('id').executeTakeFirst()
      if (s)
        await appendEvent(trx, {
          type: `issuance.${e.event}`,
          subject: s.id,
          data: { configurationId: e.configurationId },
          at: now,
        })
    })
  }
}
