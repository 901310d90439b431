import type { KeyObject } from 'node:crypto'
import {
  type Clock,
  type Fetcher,
  hexEncode,
  type RandomSource,
  type StatusChecker,
  systemClock,
  systemRandom,
} from '@bonafide/core'
import type { TrustAnchorInput } from '@bonafide/jose'
import { exportPublicJwk, type JwsAlg, jwkThumbprint, type KeyRef, type KeyStore } from '@bonafide/keys'
import { type CredentialOffer, type ReceivedCredential, type TokenSession, WalletClient } from '@bonafide/openid4vci'
import type { AuthorizationRequest, PresentationPlan } from '@bonafide/openid4vp'
import { WalletError } from './errors.js'
import { type DescribedCredential, datasetKey, type WalletFormat } from './formats.js'
import { issuanceFormat } from './issuance.js'
import { type CopyRecord, DEFAULT_POLICY, type PoolPolicy, type PoolRecord, type PresentationLogEntry } from './model.js'
import { type PoolSummary, summarizePool } from './pools.js'
import { type PresentOptions, type PresentResult, parseRequestWithWallet, planWithWallet, presentWithWallet } from './present.js'
import type { WalletStore } from './store.js'

export interface WalletOptions {
  store: WalletStore
  keyStore: KeyStore
  /** Formats the wallet holds, with the issuer trust each applies to what it receives or imports. */
  formats: readonly WalletFormat[]
  /** All HTTP (issuers, verifiers, status lists) goes through this. */
  fetcher: Fetcher
  /** Roots a verifier's `x509_*` certificate must chain to. */
  verifierTrustAnchors?: readonly TrustAnchorInput[]
  /** Transaction data types this wallet understands (OpenID4VP §8.4: others are refused). Absent: any type, shown to the user. */
  transactionDataTypes?: readonly string[]
  /** Check copies' status before presenting them (revoked and suspended copies are skipped). */
  statusChecker?: StatusChecker
  policy?: Partial<PoolPolicy>
  /** Bind tokens with DPoP (RFC 9449); the key is kept with the grant so refills can use the refresh token. */
  dpop?: boolean
  alg?: JwsAlg
  clock?: Clock
  random?: RandomSource
}

export interface ReceiveOptions {
  txCode?: string
  /** Copies per pool (default 10, capped by the issuer's batch_size). */
  count?: number
  /** Which of the offer's configurations to receive (default: all). */
  configurationIds?: readonly string[]
  policy?: Partial<PoolPolicy>
  /** The offer and issuer metadata from `inspectOffer` (not fetched again). */
  resolved?: Awaited<ReturnType<Wallet['inspectOffer']>>
}

export interface ImportItem {
  readonly format: string
  readonly credential: string
  /** The holder's private key for this copy. */
  readonly privateKey: KeyObject
  readonly alg: JwsAlg
}

/** What a refill did for a pool that ran low. */
export type RefillOutcome =
  | { readonly poolId: string; readonly added: number }
  | { readonly poolId: string; readonly needsOffer: true; readonly reason: string }

type AddableKeyStore = KeyStore & { add(key: KeyObject, alg: JwsAlg, label?: string): KeyRef | Promise<KeyRef> }

/**
 * A holder wallet: pools of one-time-use copies received in batches, presentations that take each
 * copy once (and retire it with its key), refills when a pool runs low, and a presentation log.
 */
export class Wallet {
  readonly o: WalletOptions
  readonly clock: Clock
  readonly #random: RandomSource
  readonly #formats: Map<string, WalletFormat>
  #refills: Promise<unknown> = Promise.resolve()

  constructor(o: WalletOptions) {
    this.o = o
    this.clock = o.clock ?? systemClock
    this.#random = o.random ?? systemRandom
    this.#formats = new Map(o.formats.map((f) => [f.format, f]))
  }

  newId(): string {
    return hexEncode(this.#random.bytes(16))
  }

  format(id: string): WalletFormat {
    const f = this.#formats.get(id)
    if (!f) throw new WalletError('wallet.format_unsupported', `this wallet does not hold ${id} credentials`)
    return f
  }

  policy(p?: Partial<PoolPolicy>): PoolPolicy {
    const merged = { ...DEFAULT_POLICY, ...this.o.policy, ...p }
    if (!Number.isInteger(merged.maxUses) || merged.maxUses < 1 || !Number.isInteger(merged.minUnused) || merged.minUnused < 0)
      throw new WalletError('wallet.import_invalid', 'maxUses must be ≥ 1 and minUnused ≥ 0')
    return merged
  }

  #client(described: Map<string, DescribedCredential>): WalletClient {
    return new WalletClient({
      fetcher: this.o.fetcher,
      keyStore: this.o.keyStore,
      formats: [...this.#formats.values()].map((f) => issuanceFormat(f, described)),
      clock: this.clock,
      ...(this.o.alg ? { alg: this.o.alg } : {}),
      ...(this.o.dpop ? { dpop: true } : {}),
    })
  }

  /** Look at an offer before accepting it: the issuer's metadata and what it offers. */
  async inspectOffer(
    link: string,
  ): Promise<{ offer: CredentialOffer; issuer: Awaited<ReturnType<WalletClient['resolveIssuer']>> }> {
    const client = this.#client(new Map())
    const offer = await client.resolveOffer(link)
    return { offer, issuer: await client.resolveIssuer(offer.credential_issuer) }
  }

  /**
   * Receive an offer (pre-authorized code): one pool per offered configuration, each a whole batch. Pass what
   * `inspectOffer` returned as `resolved` so a one-time `credential_offer_uri` is not fetched twice.
   */
  async receiveOffer(link: string, o: ReceiveOptions = {}): Promise<PoolRecord[]> {
    const described = new Map<string, DescribedCredential>()
    const client = this.#client(described)
    const offer = o.resolved?.offer ?? (await client.resolveOffer(link))
    const issuer = o.resolved?.issuer ?? (await client.resolveIssuer(offer.credential_issuer))
    const ids = o.configurationIds ?? offer.credential_configuration_ids
    for (const id of ids)
      if (!offer.credential_configuration_ids.includes(id))
        throw new WalletError('wallet.import_invalid', `configuration ${id} is not in the offer`)
    const session = await client.tokenPreAuthorized(issuer, offer, o.txCode ? { txCode: o.txCode } : {})
    const count = Math.min(o.count ?? 10, issuer.metadata.batch_credential_issuance?.batch_size ?? 1)
    const pools: PoolRecord[] = []
    for (const configurationId of ids) {
      const res = await client.requestCredentials(session, { configurationId, count })
      await this.#keepOrDropKeys(res.credentials, async () => {
        const pool = this.#newPool(session, configurationId, res.credentials, described, o.policy)
        await this.o.store.addPool(pool, this.#copies(pool, res.credentials, described))
        pools.push(pool)
      })
    }
    return pools
  }

  /** Store received copies; if that fails, their freshly generated keys are deleted, not left behind. */
  async #keepOrDropKeys(received: readonly ReceivedCredential[], store: () => Promise<void>): Promise<void> {
    try {
      await store()
    } catch (e) {
      for (const r of received) await this.o.keyStore.delete(r.keyRef)
      throw e
    }
  }

  #newPool(
    session: TokenSession,
    configurationId: string,
    received: readonly ReceivedCredential[],
    described: Map<string, DescribedCredential>,
    policy?: Partial<PoolPolicy>,
  ): PoolRecord {
    const first = described.get(String(received[0]?.credential))
    if (!first)
      throw new WalletError('wallet.credential_invalid', 'the issuer sent no credential (deferred issuance is not kept)')
    this.#sameDataset(received.map((r) => described.get(String(r.credential))))
    const meta = session.issuer.metadata
    const conf = meta.credential_configurations_supported[configurationId] as Record<string, unknown> | undefined
    const display = (conf?.credential_metadata as { display?: { name?: string }[] } | undefined)?.display?.[0]?.name
    const rt = session.token.refresh_token
    const dpopKey = session.dpop?.keyRef
    return this.#poolOf(first, {
      issuer: meta.credential_issuer,
      ...(display ? { name: display } : {}),
      ...(policy ? { policy } : {}),
      source: {
        credentialIssuer: meta.credential_issuer,
        configurationId,
        batchSize: received.length,
        ...(typeof rt === 'string' ? { refreshToken: rt } : {}),
        ...(dpopKey ? { dpopKey } : {}),
      },
    })
  }

  /** A new pool for the dataset `d` describes. */
  #poolOf(
    d: DescribedCredential,
    o: { issuer?: string; name?: string; policy?: Partial<PoolPolicy>; source?: PoolRecord['source'] },
  ): PoolRecord {
    return {
      id: this.newId(),
      format: d.format,
      type: d.type,
      issuer: o.issuer ?? d.issuer,
      ...(o.name ? { name: o.name } : {}),
      claims: d.claims,
      ...(d.validFrom !== undefined ? { validFrom: d.validFrom } : {}),
      ...(d.validUntil !== undefined ? { validUntil: d.validUntil } : {}),
      policy: this.policy(o.policy),
      ...(o.source ? { source: o.source } : {}),
      createdAt: this.clock.now(),
    }
  }

  /** A fresh, unused copy of a pool. */
  #copyOf(pool: PoolRecord, credential: string, keyRef: KeyRef, d: DescribedCredential | undefined): CopyRecord {
    return {
      id: this.newId(),
      poolId: pool.id,
      credential,
      keyRef,
      uses: 0,
      state: 'unused',
      ...(d?.validUntil !== undefined ? { validUntil: d.validUntil } : {}),
      ...(d?.status ? { status: d.status } : {}),
    }
  }

  /** All copies of a pool carry one dataset (same format, type, issuer and claims). */
  #sameDataset(ds: readonly (DescribedCredential | undefined)[]): void {
    const key = (d: DescribedCredential | undefined) => (d ? datasetKey(d) : '')
    const first = key(ds[0])
    if (ds.some((d) => key(d) !== first))
      throw new WalletError('wallet.credential_invalid', 'the copies of one batch must hold the same dataset')
  }

  #copies(pool: PoolRecord, received: readonly ReceivedCredential[], described: Map<string, DescribedCredential>): CopyRecord[] {
    return received.map((r) => this.#copyOf(pool, String(r.credential), r.keyRef, described.get(String(r.credential))))
  }

  /**
   * Import copies of one dataset with their keys as one pool. Each is verified, must be bound to its
   * key, and all must share format, type, issuer and claims.
   */
  async import(items: readonly ImportItem[], o: { policy?: Partial<PoolPolicy>; name?: string } = {}): Promise<PoolRecord> {
    if (items.length === 0) throw new WalletError('wallet.import_invalid', 'nothing to import')
    const ks = this.o.keyStore as Partial<AddableKeyStore>
    if (typeof ks.add !== 'function') throw new WalletError('wallet.import_invalid', 'this key store cannot import keys')
    const described: DescribedCredential[] = []
    for (const it of items) {
      const d = await this.format(it.format).describe(it.credential, this.clock)
      if (jwkThumbprint(exportPublicJwk(it.privateKey)) !== jwkThumbprint(d.holderKey))
        throw new WalletError('wallet.import_invalid', 'a credential is not bound to the key given with it')
      described.push(d)
    }
    const first = described[0] as DescribedCredential
    if (described.some((d) => datasetKey(d) !== datasetKey(first)))
      throw new WalletError('wallet.import_invalid', 'the copies of one pool must hold the same dataset')
    const thumbs = new Set(described.map((d) => jwkThumbprint(d.holderKey)))
    if (thumbs.size !== items.length || new Set(items.map((i) => i.credential)).size !== items.length)
      throw new WalletError('wallet.import_invalid', 'each copy needs its own credential and its own key')
    const pool = this.#poolOf(first, { ...(o.name ? { name: o.name } : {}), ...(o.policy ? { policy: o.policy } : {}) })
    const copies: CopyRecord[] = []
    for (const [i, it] of items.entries()) {
      const keyRef = await (ks as AddableKeyStore).add(it.privateKey, it.alg, 'holder')
      copies.push(this.#copyOf(pool, it.credential, keyRef, described[i]))
    }
    try {
      await this.o.store.addPool(pool, copies)
    } catch (e) {
      for (const c of copies) await this.o.keyStore.delete(c.keyRef)
      throw e
    }
    return pool
  }

  /** Pools with their copies counted by state (unused, used, expired, revoked, suspended). */
  async list(): Promise<PoolSummary[]> {
    const now = this.clock.now()
    const out: PoolSummary[] = []
    for (const p of await this.o.store.listPools()) out.push(summarizePool(p, await this.o.store.listCopies(p.id), now))
    return out
  }

  /** Answer an OpenID4VP request (a link, or a request from `resolveRequest`): plan, consent, take one unused copy per credential, present, log, refill. */
  present(link: string | AuthorizationRequest, o: PresentOptions): Promise<PresentResult> {
    return presentWithWallet(this, link, o)
  }

  /** Parse and authenticate a request and plan the answer, without taking anything: for a consent screen shown before `present`. */
  async resolveRequest(link: string): Promise<{ request: AuthorizationRequest; plan: PresentationPlan }> {
    const request = await parseRequestWithWallet(this, link)
    return { request, plan: await planWithWallet(this, request) }
  }

  /** The presentation log, filtered (by verifier client_id, credential type, time); it never holds credentials. */
  async log(filter: { clientId?: string; type?: string; since?: number; until?: number } = {}): Promise<PresentationLogEntry[]> {
    return (await this.o.store.listLog()).filter(
      (e) =>
        (filter.clientId === undefined || e.verifier.clientId === filter.clientId) &&
        (filter.type === undefined || e.credentials.some((c) => c.type === filter.type)) &&
        (filter.since === undefined || e.at >= filter.since) &&
        (filter.until === undefined || e.at < filter.until),
    )
  }

  /** The log as JSON Lines, for export. */
  async exportLog(filter?: Parameters<Wallet['log']>[0]): Promise<string> {
    return (await this.log(filter)).map((e) => JSON.stringify(e)).join('\n')
  }

  /** Retire copies: delete them and their keys. */
  async retire(copyIds: readonly string[]): Promise<void> {
    if (copyIds.length === 0) return
    for (const c of await this.o.store.deleteCopies(copyIds)) await this.o.keyStore.delete(c.keyRef)
  }

  /**
   * Retire copies left `used` by a presentation that was interrupted (a crash between taking and retiring):
   * they must never be offered again, and their keys go. Not for a wallet with presentations in flight.
   */
  async sweepInterrupted(): Promise<number> {
    let n = 0
    for (const p of await this.o.store.listPools()) {
      const used = (await this.o.store.listCopies(p.id)).filter((c) => c.state === 'used').map((c) => c.id)
      await this.retire(used)
      n += used.length
    }
    return n
  }

  /** Delete a pool and every key of its copies (and the grant's DPoP key once no pool uses it). */
  async deletePool(id: string): Promise<void> {
    const dpopKey = (await this.o.store.getPool(id))?.source?.dpopKey
    for (const c of await this.o.store.deletePool(id)) await this.o.keyStore.delete(c.keyRef)
    const same = (k?: KeyRef) => !!k && k.store === dpopKey?.store && k.id === dpopKey.id
    if (dpopKey && !(await this.o.store.listPools()).some((p) => same(p.source?.dpopKey))) await this.o.keyStore.delete(dpopKey)
  }

  /**
   * Top up a pool that ran below its minimum: with the issuer's refresh token when it gave one, otherwise report
   * that a new offer is needed. The rotated token is stored as soon as the issuer returns it (before asking for
   * credentials) and on every pool that shared the old one (one grant, several configurations). Refills of one
   * wallet run one at a time, so two presentations never spend the same token.
   */
  refill(poolId: string): Promise<RefillOutcome> {
    const run = () => this.#refill(poolId)
    const p = this.#refills.then(run, run)
    this.#refills = p.catch(() => undefined)
    return p
  }

  async #refill(poolId: string): Promise<RefillOutcome> {
    const pool = await this.o.store.getPool(poolId)
    if (!pool) throw new WalletError('wallet.pool_unknown', 'no such pool')
    const now = this.clock.now()
    if (!summarizePool(pool, await this.o.store.listCopies(poolId), now).low) return { poolId, added: 0 }
    const src = pool.source
    if (!src?.refreshToken) return { poolId, needsOffer: true, reason: 'the issuer gave no refresh token: a new offer is needed' }
    const described = new Map<string, DescribedCredential>()
    const client = this.#client(described)
    let received: readonly ReceivedCredential[] = []
    try {
      const issuer = await client.resolveIssuer(src.credentialIssuer)
      const session = await client.refresh({
        issuer,
        token: { access_token: '', token_type: 'Bearer', refresh_token: src.refreshToken } as TokenSession['token'],
        ...(src.dpopKey ? { dpop: await this.o.keyStore.signer(src.dpopKey) } : {}),
      })
      const rotated = session.token.refresh_token
      if (typeof rotated === 'string' && rotated !== src.refreshToken) await this.#rotate(src.refreshToken, rotated)
      const res = await client.requestCredentials(session, { configurationId: src.configurationId, count: src.batchSize })
      received = res.credentials
      await this.#keepOrDropKeys(received, async () => {
        const ds = received.map((r) => described.get(String(r.credential)))
        this.#sameDataset(ds)
        if (ds[0] && (ds[0].type !== pool.type || ds[0].format !== pool.format))
          throw new WalletError('wallet.credential_invalid', 'a refill copy is of another type')
        const current = (await this.o.store.getPool(poolId)) ?? pool
        await this.o.store.refillPool(current, this.#copies(current, received, described))
      })
      return { poolId, added: received.length }
    } catch (e) {
      const why = (e as { code?: string; error?: string }).code ?? (e as { error?: string }).error ?? 'error'
      return { poolId, needsOffer: true, reason: `refresh failed (${why}): a new offer is needed` }
    }
  }

  /** Replace a rotated refresh token on every pool that held it. */
  async #rotate(old: string, next: string): Promise<void> {
    for (const p of await this.o.store.listPools()) {
      if (p.source?.refreshToken !== old) continue
      await this.o.store.refillPool({ ...p, source: { ...p.source, refreshToken: next } }, [])
    }
  }
}
