import type { Clock, JsonObject } from '@bonafide/core'
import {
  type Bits,
  BitstringStatusList,
  createBitstringStatusListCredential,
  createStatusListCwt,
  createStatusListJwt,
  STATUS,
  StatusIndexAllocator,
  StatusList,
} from '@bonafide/status-list'
import type { Db } from '../db/database.js'
import { PgAllocatorStore } from '../db/repositories/allocator-store.js'
import type { KeyService } from './keys.js'
import { notFound } from './problem.js'

/** Entries per list: the W3C Bitstring minimum (131,072), so one list serves both kinds; 32 KiB at 2 bits. */
export const LIST_SIZE = 131_072
const TTL_SECONDS = 300
const VALID_FOR_SECONDS = 86_400

export type Purpose = 'revocation' | 'suspension'

/**
 * Status lists kept in PostgreSQL (2 bits per entry: VALID, INVALID, SUSPENDED). One list is published
 * as a Token Status List (JWT or CWT) and, for W3C credentials, as two Bitstring Status List
 * credentials derived from it (revocation, suspension). Signed tokens are cached per list version and
 * signing key, so a change re-signs on the next fetch and an unchanged list is served from memory.
 */
export class StatusService {
  readonly #db: Db
  readonly #keys: KeyService
  readonly #clock: Clock
  readonly #baseUri: string
  readonly #cache = new Map<string, { version: number; keyId: string; iat: number; body: string | Uint8Array }>()
  readonly allocator: StatusIndexAllocator

  constructor(o: { db: Db; keys: KeyService; clock: Clock; baseUri: string }) {
    this.#db = o.db
    this.#keys = o.keys
    this.#clock = o.clock
    this.#baseUri = o.baseUri
    this.allocator = new StatusIndexAllocator({
      store: new PgAllocatorStore(o.db, { clock: o.clock }),
      listSize: LIST_SIZE,
      bits: 2,
      uriFor: (id) => `${o.baseUri}/${id}`,
    })
  }

  /** The list id of a status list URI of ours (undefined for anything else). */
  listIdOf(uri: string): string | undefined {
    if (!uri.startsWith(`${this.#baseUri}/`)) return undefined
    const id = uri.slice(this.#baseUri.length + 1)
    return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined
  }

  /** W3C `credentialStatus` entries for a Token Status List reference of ours (jwt_vc_json). */
  bitstringEntries(ref: JsonObject): JsonObject[] {
    const sl = ref.status_list as { uri: string; idx: number }
    return (['revocation', 'suspension'] as const).map((purpose) => ({
      id: `${sl.uri}/${purpose}#${sl.idx}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(sl.idx),
      statusListCredential: `${sl.uri}/${purpose}`,
    }))
  }

  async #load(id: string): Promise<{ list: StatusList; version: number; uri: string } | undefined> {
    const row = await this.#db
      .selectFrom('status_lists')
      .select(['bytes', 'bits', 'version', 'uri'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) return undefined
    return { list: new StatusList(row.bits as Bits, new Uint8Array(row.bytes)), version: row.version, uri: row.uri }
  }

  async #cached(key: string, id: string, make: (list: StatusList, uri: string) => Promise<string | Uint8Array>) {
    const v = await this.#db.selectFrom('status_lists').select('version').where('id', '=', id).executeTakeFirst()
    if (!v) throw notFound('status list')
    const signer = await this.#keys.active()
    const hit = this.#cache.get(key)
    const now = Math.floor(this.#clock.now() / 1000)
    if (hit && hit.version === v.version && hit.keyId === signer.id && now - hit.iat < TTL_SECONDS) return hit.body
    const l = await this.#load(id)
    if (!l) throw notFound('status list')
    const body = await make(l.list, l.uri)
    this.#cache.set(key, { version: l.version, keyId: signer.id, iat: now, body })
    return body
  }

  /** The token inputs every publication of a list shares: the active key, its chain, lifetimes, clock. */
  async #tokenInput(list: StatusList, uri: string) {
    const k = await this.#keys.active()
    return {
      list,
      uri,
      signer: k.signer,
      validForSeconds: VALID_FOR_SECONDS,
      ttl: TTL_SECONDS,
      header: { x5c: k.x5c },
      clock: this.#clock,
    }
  }

  /** The Token Status List as a JWT (draft-ietf-oauth-status-list §5.1). */
  async jwt(id: string): Promise<string> {
    return (await this.#cached(`jwt:${id}`, id, async (list, uri) =>
      createStatusListJwt(await this.#tokenInput(list, uri)),
    )) as string
  }

  /** The Token Status List as a CWT (§5.2). */
  async cwt(id: string): Promise<Uint8Array> {
    return (await this.#cached(`cwt:${id}`, id, async (list, uri) =>
      createStatusListCwt(await this.#tokenInput(list, uri)),
    )) as Uint8Array
  }

  /** A BitstringStatusListCredential for one purpose, derived from the 2-bit list. */
  async bitstring(id: string, purpose: Purpose, issuer: string): Promise<string> {
    return (await this.#cached(`bs:${purpose}:${id}`, id, async (list, uri) => {
      const k = await this.#keys.active()
      const want = purpose === 'revocation' ? STATUS.INVALID : STATUS.SUSPENDED
      const bs = BitstringStatusList.create(LIST_SIZE, 1)
      const perByte = 8 / list.bits
      list.bytes.forEach((b, i) => {
        if (b === 0) return
        for (let k2 = 0; k2 < perByte; k2++) if (list.get(i * perByte + k2) === want) bs.set(i * perByte + k2, 1)
      })
      return createBitstringStatusListCredential({
        list: bs,
        id: `${uri}/${purpose}`,
        issuer,
        statusPurpose: purpose,
        signer: k.signer,
        validForSeconds: VALID_FOR_SECONDS,
        ttl: TTL_SECONDS * 1000,
        header: { x5c: k.x5c },
        clock: this.#clock,
      })
    })) as string
  }
}
