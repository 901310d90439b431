import { Buffer } from 'node:buffer'
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { type Clock, hexEncode, systemClock, systemRandom } from '@bonafide/core'
import {
  createLocalSigner,
  exportPublicJwk,
  generateKeyObject,
  isJwsAlg,
  type JwsAlg,
  type KeyInfo,
  type KeyRef,
  type KeyStore,
  KeysError,
  parsePublicJwk,
  type Signer,
} from '@bonafide/keys'
import type { Kysely, Selectable } from 'kysely'
import type { Kek } from '../kek.js'
import type { DB, HolderKeyTable } from '../schema.js'

/** Signers (node:crypto KeyObjects inside) kept imported; the least recently used goes first. */
const CACHE_SIZE = 1024
const PAGE = 500

const aad = (id: string) => `holder-key:${id}`

type InfoRow = Pick<Selectable<HolderKeyTable>, 'id' | 'alg' | 'public_jwk' | 'label'>

/**
 * Holder (wallet) keys in PostgreSQL: PKCS#8 sealed under the agent's key-encryption key (AAD
 * `holder-key:<id>`), public JWK in clear. A wrong KEK or a tampered row throws
 * `keys.passphrase_invalid` from `signer`.
 */
export class PgHolderKeyStore implements KeyStore {
  readonly name = 'agent'
  readonly #db: Kysely<DB>
  readonly #kek: Kek
  readonly #clock: Clock
  readonly #cacheSize: number
  readonly #signers = new Map<string, Signer>()

  constructor(db: Kysely<DB>, o: { kek: Kek; clock?: Clock; cacheSize?: number }) {
    this.#db = db
    this.#kek = o.kek
    this.#clock = o.clock ?? systemClock
    this.#cacheSize = Math.max(1, o.cacheSize ?? CACHE_SIZE)
  }

  async generate(spec: { alg: JwsAlg; label?: string }): Promise<KeyRef> {
    return this.add(generateKeyObject(spec.alg), spec.alg, spec.label)
  }

  /** Add an existing private key (import). Refuses a key that does not match `alg`. */
  async add(key: KeyObject, alg: JwsAlg, label?: string): Promise<KeyRef> {
    const ref: KeyRef = { store: this.name, id: hexEncode(systemRandom.bytes(16)) }
    const signer = createLocalSigner(key, ref, alg)
    const der = new Uint8Array(key.export({ format: 'der', type: 'pkcs8' }))
    await this.#db
      .insertInto('holder_keys')
      .values({
        id: ref.id,
        alg,
        public_jwk: JSON.stringify(exportPublicJwk(key)),
        private_enc: this.#kek.seal(der, aad(ref.id)),
        label: label || null,
        created_at: this.#clock.now(),
      })
      .execute()
    this.#remember(ref.id, signer)
    return ref
  }

  /** The cached Signer, else one imported from the sealed row (then cached). */
  async signer(ref: KeyRef): Promise<Signer> {
    if (ref.store !== this.name) throw new KeysError('keys.key_not_found', 'no such key')
    const cached = this.#signers.get(ref.id)
    if (cached) return this.#remember(ref.id, cached)
    const row = await this.#db
      .selectFrom('holder_keys')
      .select(['alg', 'private_enc'])
      .where('id', '=', ref.id)
      .executeTakeFirst()
    if (!row) throw new KeysError('keys.key_not_found', 'no such key')
    if (!isJwsAlg(row.alg)) throw new KeysError('keys.store_corrupt', 'a stored key has an unknown algorithm')
    const key = this.#unseal(ref.id, row.private_enc)
    return this.#remember(ref.id, createLocalSigner(key, { store: this.name, id: ref.id }, row.alg))
  }

  async get(ref: KeyRef): Promise<KeyInfo | undefined> {
    if (ref.store !== this.name) return undefined
    const row = await this.#db
      .selectFrom('holder_keys')
      .select(['id', 'alg', 'public_jwk', 'label'])
      .where('id', '=', ref.id)
      .executeTakeFirst()
    return row ? this.#info(row) : undefined
  }

  /** Every key, oldest first, read a page at a time. */
  async *list(): AsyncIterable<KeyInfo> {
    let after: { at: number; id: string } | undefined
    for (;;) {
      let q = this.#db.selectFrom('holder_keys').select(['id', 'alg', 'public_jwk', 'label', 'created_at'])
      if (after) {
        const a = after
        q = q.where((eb) => eb.or([eb('created_at', '>', a.at), eb.and([eb('created_at', '=', a.at), eb('id', '>', a.id)])]))
      }
      const rows = await q.orderBy('created_at').orderBy('id').limit(PAGE).execute()
      for (const r of rows) yield this.#info(r)
      const last = rows.at(-1)
      if (!last || rows.length < PAGE) return
      after = { at: last.created_at, id: last.id }
    }
  }

  async delete(ref: KeyRef): Promise<void> {
    if (ref.store !== this.name) return
    this.#signers.delete(ref.id)
    await this.#db.deleteFrom('holder_keys').where('id', '=', ref.id).execute()
  }

  #unseal(id: string, sealed: string): KeyObject {
    let der: Uint8Array
    try {
      der = this.#kek.open(sealed, aad(id))
    } catch (cause) {
      throw new KeysError('keys.passphrase_invalid', 'wrong key-encryption key or tampered key', { cause })
    }
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
  }

  #info(r: InfoRow): KeyInfo {
    if (!isJwsAlg(r.alg)) throw new KeysError('keys.store_corrupt', 'a stored key has an unknown algorithm')
    return {
      ref: { store: this.name, id: r.id },
      alg: r.alg,
      publicJwk: parsePublicJwk(r.public_jwk),
      ...(r.label ? { label: r.label } : {}),
    }
  }

  /** Most recently used last; evict from the front past the bound. */
  #remember(id: string, s: Signer): Signer {
    this.#signers.delete(id)
    this.#signers.set(id, s)
    if (this.#signers.size > this.#cacheSize) this.#signers.delete(this.#signers.keys().next().value as string)
    return s
  }
}
