import { Buffer } from 'node:buffer'
import { createPrivateKey, type KeyObject, randomBytes } from 'node:crypto'
import type { Clock } from '@bonafide/core'
import { certificateB64, createCertificate, x509 } from '@bonafide/jose'
import { createLocalSigner, exportPublicJwk, generateKeyObject, jwkThumbprint, type PublicJwk, type Signer } from '@bonafide/keys'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { Kek } from '../db/kek.js'

const DAY = 86_400_000

/**
 * A signing key with its certificate chain (leaf only; the root is the trust anchor): the issuer key that
 * signs credentials and status lists now, the verifier's request-object key, or the development wallet provider's.
 */
export interface ActiveKey {
  readonly id: string
  readonly signer: Signer
  readonly publicJwk: PublicJwk
  readonly x5c: string[]
}

export interface PublishedKey {
  readonly id: string
  readonly publicJwk: PublicJwk
  readonly certificate: string | null
  readonly active: boolean
  readonly createdAt: number
  readonly retiredAt: number | null
  readonly publishUntil: number | null
}

function seal(kek: Kek, id: string, key: KeyObject): string {
  return kek.seal(new Uint8Array(key.export({ format: 'der', type: 'pkcs8' })), `signing-key:${id}`)
}

function unseal(kek: Kek, id: string, sealed: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(kek.open(sealed, `signing-key:${id}`)), format: 'der', type: 'pkcs8' })
}

type Role = 'root' | 'issuer' | 'verifier' | 'wallet_provider'

const SUBJECT: Record<Exclude<Role, 'root'>, string> = {
  issuer: 'CN=Bonafide Agent Issuer, O=Bonafide, C=NL',
  verifier: 'CN=Bonafide Agent Verifier, O=Bonafide, C=NL',
  wallet_provider: 'CN=Bonafide Agent Development Wallet Provider, O=Bonafide, C=NL',
}

/**
 * Issuer signing keys in the database, sealed under the key-encryption key; a development root CA
 * certifies each issuer key (and the verifier's and development wallet provider's keys). The Signer
 * is the seam where a KMS or HSM plugs in instead.
 */
export class KeyService {
  readonly #db: Db
  readonly #kek: Kek
  readonly #clock: Clock
  readonly #dnsNames: string[]
  #active: ActiveKey | undefined
  #verifier: ActiveKey | undefined
  #walletProvider: Promise<ActiveKey> | undefined
  #rootPem: string | undefined

  readonly #publish: () => Promise<void>

  constructor(o: { db: Db; kek: Kek; clock: Clock; dnsNames: string[]; publish?: () => Promise<void> }) {
    this.#publish = o.publish ?? (async () => undefined)
    this.#db = o.db
    this.#kek = o.kek
    this.#clock = o.clock
    this.#dnsNames = o.dnsNames
  }

  /** First run: create the root and an issuer key (once, whichever instance gets the lock). */
  async ensure(): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('bonafide:keys'))`.execute(trx)
      const has = await trx
        .selectFrom('signing_keys')
        .select('id')
        .where('role', '=', 'issuer')
        .where('retired_at', 'is', null)
        .executeTakeFirst()
      if (!has) await this.#createIssuerKey(trx as unknown as Db)
      const verifier = await trx.selectFrom('signing_keys').select('id').where('role', '=', 'verifier').executeTakeFirst()
      if (!verifier) await this.#createIssuerKey(trx as unknown as Db, 'verifier')
    })
    this.#active = undefined
    this.#verifier = undefined
  }

  /** Insert a key: private part sealed under the KEK, its certificate as base64 DER. */
  async #store(
    db: Db,
    k: {
      id: string
      role: Role
      key: KeyObject
      publicJwk: PublicJwk
      cert: x509.X509Certificate
      now: number
    },
  ): Promise<void> {
    await db
      .insertInto('signing_keys')
      .values({
        id: k.id,
        role: k.role,
        alg: 'ES256',
        public_jwk: JSON.stringify(k.publicJwk),
        private_enc: seal(this.#kek, k.id, k.key),
        certificate: certificateB64(k.cert),
        created_at: k.now,
        retired_at: null,
        publish_until: null,
      })
      .execute()
  }

  async #root(db: Db): Promise<{ id: string; key: KeyObject; cert: x509.X509Certificate }> {
    const row = await db.selectFrom('signing_keys').selectAll().where('role', '=', 'root').executeTakeFirst()
    if (row?.certificate)
      return { id: row.id, key: unseal(this.#kek, row.id, row.private_enc), cert: new x509.X509Certificate(row.certificate) }
    const id = `root-${randomBytes(6).toString('hex')}`
    const key = generateKeyObject('ES256')
    const now = this.#clock.now()
    const cert = await createCertificate({
      subject: 'CN=Bonafide Agent Development Root, O=Bonafide, C=NL',
      subjectKey: key,
      subjectAlg: 'ES256',
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 3650 * DAY),
      ca: true,
      pathLength: 0,
    })
    await this.#store(db, { id, role: 'root', key, publicJwk: exportPublicJwk(key), cert, now })
    return { id, key, cert }
  }

  /**
   * A leaf key certified by the development root: the issuer's, the verifier's (signs request objects), or
   * the development wallet provider's (signs key attestations).
   */
  async #createIssuerKey(db: Db, role: Exclude<Role, 'root'> = 'issuer'): Promise<string> {
    const root = await this.#root(db)
    const key = generateKeyObject('ES256')
    const publicJwk = exportPublicJwk(key)
    const id = jwkThumbprint(publicJwk)
    const now = this.#clock.now()
    const cert = await createCertificate({
      subject: SUBJECT[role],
      subjectKey: key,
      subjectAlg: 'ES256',
      issuer: { certificate: root.cert, key: root.key, alg: 'ES256' },
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 365 * DAY),
      ...(role === 'wallet_provider' ? {} : { dnsNames: this.#dnsNames }),
    })
    await this.#store(db, { id, role, key, publicJwk, cert, now })
    return id
  }

  /** The verifier's request-object key (x509_hash / x509_san_dns client ids), cached. */
  async verifier(): Promise<ActiveKey> {
    this.#verifier ??= await this.#load('verifier')
    return this.#verifier
  }

  /**
   * The development wallet provider's key (role `wallet_provider`), certified by the agent's own root, so
   * key attestations it signs (`x5c` = `[its certificate]`) chain to a root the agent's issuer trusts.
   * Created on first use (once, whichever instance gets the lock); never published as an issuer key nor
   * rotated. For development and the playground: a real wallet provider brings its own root (trust kind
   * `wallet_provider`).
   */
  walletProvider(): Promise<ActiveKey> {
    this.#walletProvider ??= this.#loadOrCreate('wallet_provider').catch((e: unknown) => {
      this.#walletProvider = undefined
      throw e
    })
    return this.#walletProvider
  }

  async #loadOrCreate(role: 'wallet_provider'): Promise<ActiveKey> {
    const has = await this.#db
      .selectFrom('signing_keys')
      .select('id')
      .where('role', '=', role)
      .where('retired_at', 'is', null)
      .executeTakeFirst()
    if (!has)
      await this.#db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext('bonafide:keys'))`.execute(trx)
        const again = await trx
          .selectFrom('signing_keys')
          .select('id')
          .where('role', '=', role)
          .where('retired_at', 'is', null)
          .executeTakeFirst()
        if (!again) await this.#createIssuerKey(trx as unknown as Db, role)
      })
    return this.#load(role)
  }

  /** The signing key in force (cached; the cache is dropped by `rotate`). */
  async active(): Promise<ActiveKey> {
    this.#active ??= await this.#load('issuer')
    return this.#active
  }

  /** The newest unretired key of a role, opened once (the private KeyObject stays in its signer). */
  async #load(role: Exclude<Role, 'root'>): Promise<ActiveKey> {
    const row = await this.#db
      .selectFrom('signing_keys')
      .selectAll()
      .where('role', '=', role)
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    const key = unseal(this.#kek, row.id, row.private_enc)
    return {
      id: row.id,
      signer: createLocalSigner(key, { store: 'agent', id: row.id }, 'ES256'),
      publicJwk: exportPublicJwk(key),
      x5c: row.certificate ? [row.certificate] : [],
    }
  }

  /** PEM of the development root: what a wallet on this machine trusts. */
  async rootPem(): Promise<string> {
    if (this.#rootPem) return this.#rootPem
    const row = await this.#db
      .selectFrom('signing_keys')
      .select('certificate')
      .where('role', '=', 'root')
      .executeTakeFirstOrThrow()
    this.#rootPem = new x509.X509Certificate(row.certificate as string).toString('pem')
    return this.#rootPem
  }

  /**
   * Keys verifiers may need: the active one and retired ones while credentials they signed are valid.
   * Issuer keys only (never the root, verifier or wallet provider keys).
   */
  async published(): Promise<PublishedKey[]> {
    const rows = await this.#db
      .selectFrom('signing_keys')
      .selectAll()
      .where('role', '=', 'issuer')
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('publish_until', '>', this.#clock.now())]))
      .orderBy('created_at', 'desc')
      .execute()
    return rows.map((r) => ({
      id: r.id,
      publicJwk: r.public_jwk as unknown as PublicJwk,
      certificate: r.certificate,
      active: r.retired_at === null,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
      publishUntil: r.publish_until,
    }))
  }

  /**
   * Rotate: a new issuer key signs from now on; the old one stays published until the last credential
   * it signed expires (and at least `minOverlapMs`, for status lists it signed).
   */
  async rotate(minOverlapMs = DAY): Promise<{ id: string; retired: string[] }> {
    const out = await this.#db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('bonafide:keys'))`.execute(trx)
      const now = this.#clock.now()
      const old = await trx
        .selectFrom('signing_keys')
        .select('id')
        .where('role', '=', 'issuer')
        .where('retired_at', 'is', null)
        .execute()
      for (const o of old) {
        const last = await trx
          .selectFrom('issued_credentials')
          .select((eb) => eb.fn.max('expires_at').as('until'))
          .where('signing_key_id', '=', o.id)
          .executeTakeFirst()
        const until = Math.max(Number(last?.until ?? 0), now + minOverlapMs)
        await trx.updateTable('signing_keys').set({ retired_at: now, publish_until: until }).where('id', '=', o.id).execute()
      }
      const id = await this.#createIssuerKey(trx as unknown as Db)
      return { id, retired: old.map((o) => o.id) }
    })
    this.forget()
    await this.#publish()
    return out
  }

  /** Drop cached keys (another instance rotated). */
  forget(): void {
    this.#active = undefined
    this.#verifier = undefined
  }
}
