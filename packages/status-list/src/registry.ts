import type { Clock } from '@bonafide/core'
import type { Signer } from '@bonafide/keys'
import {
  type AllocatedIndex,
  type AllocatorList,
  type AllocatorStore,
  MemoryAllocatorStore,
  StatusIndexAllocator,
} from './allocator.js'
import { StatusListError } from './errors.js'
import { type Bits, StatusList } from './status-list.js'
import { createStatusListCwt } from './token-cwt.js'
import { createStatusListJwt } from './token-jwt.js'

export interface StatusListRegistryOptions {
  signer: Signer
  /** Base URL lists are served under: `${baseUri}/${listId}`. */
  baseUri: string
  iss?: string
  listSize?: number
  bits?: Bits
  /** Token lifetime (exp) and cache hint (ttl), seconds. Defaults 1 day and 1 hour. */
  validForSeconds?: number
  ttlSeconds?: number
  header?: { kid?: string; x5c?: string[] }
  /** Status List Aggregation (§9): where the list of all this issuer's lists is served; put in every list. */
  aggregationUri?: string
  allocatorStore?: AllocatorStore
  clock?: Clock
}

interface Entry {
  list: StatusList
  version: number
  jwt?: { version: number; token: string; iat: number }
  cwt?: { version: number; token: Uint8Array; iat: number }
}

/**
 * The issuer side: allocates indices, holds the lists, sets statuses (one or many at once) and
 * publishes signed Status List Tokens, re-signing only after a change or when a token nears expiry.
 */
export class StatusListRegistry {
  readonly #o: StatusListRegistryOptions
  readonly #lists = new Map<string, Entry>()
  readonly allocator: StatusIndexAllocator

  constructor(o: StatusListRegistryOptions) {
    this.#o = o
    this.allocator = new StatusIndexAllocator({
      store: o.allocatorStore ?? new MemoryAllocatorStore(),
      uriFor: (id) => `${o.baseUri.replace(/\/$/, '')}/${id}`,
      ...(o.listSize ? { listSize: o.listSize } : {}),
      bits: o.bits ?? 2,
      onNewList: (l: AllocatorList) => {
        this.#lists.set(l.uri, { list: StatusList.create(l.size, l.bits), version: 0 })
      },
    })
  }

  /** Indices for a batch, as `status` claims ready for the credentials. */
  async allocate(n: number): Promise<{ status: { status_list: { idx: number; uri: string } }; index: AllocatedIndex }[]> {
    return (await this.allocator.allocate(n)).map((index) => ({
      status: { status_list: { idx: index.idx, uri: index.uri } },
      index,
    }))
  }

  #entry(uri: string): Entry {
    const e = this.#lists.get(uri)
    if (!e) throw new StatusListError('status_list.list_unknown', 'no such status list')
    return e
  }

  get(uri: string, idx: number): number {
    return this.#entry(uri).list.get(idx)
  }

  /** Set many statuses; all are validated before any is applied. */
  setStatuses(updates: readonly { uri: string; idx: number; value: number }[]): void {
    const touched = new Set<Entry>()
    for (const u of updates) {
      const e = this.#entry(u.uri)
      const mask = (1 << e.list.bits) - 1
      if (!Number.isInteger(u.idx) || u.idx < 0 || u.idx >= e.list.size)
        throw new StatusListError('status_list.index_out_of_range', 'index outside the list')
      if (!Number.isInteger(u.value) || u.value < 0 || u.value > mask)
        throw new StatusListError('status_list.value_out_of_range', 'value does not fit')
    }
    for (const u of updates) {
      const e = this.#entry(u.uri)
      e.list.set(u.idx, u.value)
      touched.add(e)
    }
    for (const e of touched) e.version++
  }

  setStatus(uri: string, idx: number, value: number): void {
    this.setStatuses([{ uri, idx, value }])
  }

  uris(): string[] {
    return [...this.#lists.keys()]
  }

  #fresh(iat: number): boolean {
    const now = (this.#o.clock?.now() ?? Date.now()) / 1000
    return now - iat < (this.#o.ttlSeconds ?? 3600) / 2
  }

  async publishJwt(uri: string): Promise<string> {
    const e = this.#entry(uri)
    if (e.jwt && e.jwt.version === e.version && this.#fresh(e.jwt.iat)) return e.jwt.token
    const iat = Math.floor((this.#o.clock?.now() ?? Date.now()) / 1000)
    const token = await createStatusListJwt(this.#input(uri, e, iat))
    e.jwt = { version: e.version, token, iat }
    return token
  }

  async publishCwt(uri: string): Promise<Uint8Array> {
    const e = this.#entry(uri)
    if (e.cwt && e.cwt.version === e.version && this.#fresh(e.cwt.iat)) return e.cwt.token
    const iat = Math.floor((this.#o.clock?.now() ?? Date.now()) / 1000)
    const token = await createStatusListCwt(this.#input(uri, e, iat))
    e.cwt = { version: e.version, token, iat }
    return token
  }

  /** The Status List Aggregation document (§9.3): every list URI of this registry. */
  aggregation(): { status_lists: string[] } {
    return { status_lists: this.uris() }
  }

  get aggregationUri(): string | undefined {
    return this.#o.aggregationUri
  }

  get ttlSeconds(): number {
    return this.#o.ttlSeconds ?? 3600
  }

  #input(uri: string, e: Entry, iat: number) {
    return {
      list: e.list,
      uri,
      signer: this.#o.signer,
      iat,
      validForSeconds: this.#o.validForSeconds ?? 86_400,
      ttl: this.#o.ttlSeconds ?? 3600,
      ...(this.#o.iss ? { iss: this.#o.iss } : {}),
      ...(this.#o.aggregationUri ? { aggregationUri: this.#o.aggregationUri } : {}),
      ...(this.#o.header ? { header: this.#o.header } : {}),
    }
  }
}
