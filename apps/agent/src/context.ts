import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Clock, createSafeFetcher, systemClock } from '@bonafide/core'
import { type AgentConfig, ConfigError } from './config/env.js'
import { ChangeBus } from './db/change-bus.js'
import { type Database, openPglite, openPostgres } from './db/database.js'
import { type Kek, loadKek } from './db/kek.js'
import { migrateToLatest } from './db/migrate.js'
import { PgSchemaRegistry } from './db/repositories/schema-registry.js'
import { agentLog, createLogger, type Logger } from './http/logging.js'
import { createMetrics, type Metrics } from './http/metrics.js'
import { AnonCredsService } from './services/anoncreds.js'
import { ApiKeyService } from './services/api-keys.js'
import { ConfigurationService } from './services/configurations.js'
import { CredentialService } from './services/credentials.js'
import { EventService } from './services/events.js'
import { HolderService } from './services/holder.js'
import { type IssuanceDeps, IssuerRuntime } from './services/issuance.js'
import { KeyService } from './services/keys.js'
import { LocalFetcher } from './services/local-fetcher.js'
import { OfferService } from './services/offers.js'
import { PlaygroundService } from './services/playground.js'
import { seedDefaults } from './services/seed.js'
import { StatusService } from './services/status.js'
import { TrustService } from './services/trust.js'
import { VerificationService } from './services/verification.js'
import { WebhookService } from './services/webhook-service.js'

/** Everything the routes use, built once at start: the one wiring point of the agent. */
export interface AgentContext {
  readonly config: AgentConfig
  readonly publicUrl: string
  /** `did:web` of the issuer (from the public URL). */
  readonly did: string
  readonly database: Database
  readonly clock: Clock
  readonly apiKeys: ApiKeyService
  readonly keys: KeyService
  readonly configs: ConfigurationService
  readonly registry: PgSchemaRegistry
  readonly status: StatusService
  readonly credentials: CredentialService
  readonly runtime: IssuerRuntime
  readonly offers: OfferService
  readonly trust: TrustService
  readonly verification: VerificationService
  readonly holder: HolderService
  readonly events: EventService
  readonly webhooks: WebhookService
  /** AnonCreds schemas, credential definitions (private parts sealed), offers and issuance. */
  readonly anoncreds: AnonCredsService
  /** The batch playground: the agent as a wallet against its own issuer. */
  readonly playground: PlaygroundService
  /** Fetches for the agent's libraries: its own origin in process, the rest through the safe fetcher. */
  readonly fetcher: LocalFetcher
  /** The admin key created on this start (first run only), to print once. */
  readonly firstAdminKey: string | undefined
  readonly logger: Logger
  readonly metrics: Metrics
  /** The key-encryption key (idempotent replays are sealed under it). */
  readonly kek: Kek
  log(level: 'error' | 'info' | 'debug', msg: string, data?: Record<string, unknown>): void
  close(): Promise<void>
}

/** did:web for an origin (port percent-encoded, path segments as colons). */
export function didWebFor(publicUrl: string): string {
  const u = new URL(publicUrl)
  const host = u.port ? `${u.hostname}%3A${u.port}` : u.hostname
  const path = u.pathname.replace(/\/$/, '').split('/').filter(Boolean)
  return ['did:web', host, ...path].join(':')
}

export interface AgentContextOptions {
  clock?: Clock
  /** The "who is the user" hook of the built-in authorization server (see IssuanceDeps.authorizeUser). */
  authorizeUser?: IssuanceDeps['authorizeUser']
  /** Where the JSON log lines go (default stderr). */
  logDestination?: { write(line: string): unknown }
}

export async function createAgentContext(
  config: AgentConfig,
  publicUrl: string,
  o: AgentContextOptions = {},
): Promise<AgentContext> {
  const clock = o.clock ?? systemClock
  const logger = createLogger({ level: config.logLevel, ...(o.logDestination ? { destination: o.logDestination } : {}) })
  const log: AgentContext['log'] = agentLog(logger)
  const metrics = createMetrics()
  const kek = loadKek(config.kek, config.dataDir)
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  const database = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(join(config.dataDir, 'pgdata'))
  let bus: ChangeBus | undefined
  try {
    await migrateToLatest(database.db)
    const db = database.db
    const webhooks = new WebhookService({ db, kek, clock, onFailure: () => metrics.webhookFailures.inc() })
    metrics.setWebhookBacklog(() => webhooks.backlog())
    const did = didWebFor(publicUrl)
    bus = new ChangeBus(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {})
    const keys = new KeyService({
      db,
      kek,
      clock,
      dnsNames: [new URL(publicUrl).hostname],
      publish: () => (bus as ChangeBus).publish(db, 'keys'),
    })
    await keys.ensure()
    // The key-encryption key must open the stored keys, or the start stops here.
    await keys.active().catch((e: unknown) => {
      throw new ConfigError(`the key-encryption key does not open the stored signing keys (${(e as Error).message})`)
    })
    const configs = new ConfigurationService({ db, clock, publish: () => (bus as ChangeBus).publish(db, 'configurations') })
    const registry = new PgSchemaRegistry(db, { clock })
    await seedDefaults({ registry, configs, author: did })
    const status = new StatusService({ db, keys, clock, baseUri: `${publicUrl}/status` })
    const trust = new TrustService({
      db,
      clock,
      ownRoot: () => keys.rootPem(),
      publish: () => (bus as ChangeBus).publish(db, 'trust'),
    })
    const runtime = new IssuerRuntime({
      db,
      clock,
      publicUrl,
      keys,
      configs,
      status,
      registry,
      trust,
      keyAttestationProfile: config.keyAttestationProfile,
      ...(o.authorizeUser ? { authorizeUser: o.authorizeUser } : {}),
      onError: (e) => log('debug', 'protocol error', { error: String((e as Error)?.message ?? e) }),
      onIssued: (format, count) => metrics.countIssued(format, count),
    })
    const apiKeys = new ApiKeyService({ db, clock, ...(config.adminKey ? { envAdminKey: config.adminKey } : {}) })
    const firstAdminKey = await apiKeys.bootstrap()
    const fetcher = new LocalFetcher(
      publicUrl,
      createSafeFetcher({ maxBytes: 4 << 20, ...(config.insecureFetch ? { allowHttp: true, allowLoopback: true } : {}) }),
    )
    bus.on('configurations', () => configs.invalidate())
    bus.on('keys', () => keys.forget())
    bus.on('trust', () => trust.invalidate())
    await bus.start()
    const verification = new VerificationService({
      db,
      clock,
      kek,
      keys,
      trust,
      fetcher,
      publicUrl,
      onVerified: (valid) => metrics.countVerification(valid ? 'verified' : 'verification_failed'),
    })
    const holder = new HolderService({ db, clock, kek, trust, fetcher })
    const offers = new OfferService({ db, clock, runtime, registry })
    const playground = new PlaygroundService({ configs, offers, keys, fetch: fetcher.fetch, publicUrl, clock })
    return {
      playground,
      anoncreds: new AnonCredsService({ db, clock, kek, publicUrl, did }),
      trust,
      verification,
      holder,
      events: new EventService({ db, clock }),
      webhooks,
      fetcher,
      config,
      publicUrl,
      did,
      database,
      clock,
      apiKeys,
      keys,
      configs,
      registry,
      status,
      credentials: new CredentialService({ db, clock }),
      runtime,
      offers,
      firstAdminKey,
      logger,
      metrics,
      kek,
      log,
      close: async () => {
        await bus?.close()
        await database.close()
      },
    }
  } catch (e) {
    await bus?.close()
    await database.close().catch(() => undefined)
    throw e
  }
}
