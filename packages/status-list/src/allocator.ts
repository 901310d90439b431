import { createHmac } from 'node:crypto'
import { b64uDecode, b64uEncode, type RandomSource, systemRandom } from '@bonafide/core'
import { StatusListError } from './errors.js'
import type { Bits } from './status-list.js'

/** One status list from the allocator's point of view. */
export interface AllocatorList {
  readonly id: string
  readonly uri: string
  readonly size: number
  readonly bits: Bits
  /** Key of the list's index permutation (base64url, 32 bytes). Never leaves the issuer. */
  readonly secret: string
}

/**
 * Where allocation state lives (memory here; the agent brings PostgreSQL). `reserve` MUST be
 * atomic: concurrent callers never get overlapping positions, and positions are never handed out twice.
 */
export interface AllocatorStore {
  activeList(): Promise<AllocatorList | undefined>
  /** Make `list` the active list. */
  addList(list: AllocatorList): Promise<void>
  /** Atomically take up to `n` consecutive positions of the list's counter; count 0 when full. */
  reserve(listId: string, n: number): Promise<{ start: number; count: number }>
}

export class MemoryAllocatorStore implements AllocatorStore {
  readonly #lists = new Map<string, { list: AllocatorList; next: number }>()
  #active: string | undefined

  async activeList(): Promise<AllocatorList | undefined> {
    return this.#active ? this.#lists.get(this.#active)?.list : undefined
  }
  async addList(list: AllocatorList): Promise<void> {
    this.#lists.set(list.id, { list, next: 0 })
    this.#active = list.id
  }
  async reserve(listId: string, n: number): Promise<{ start: number; count: number }> {
    const e = this.#lists.get(listId)
    if (!e) throw new StatusListError('status_list.list_unknown', 'no such status list')
    const count = Math.max(0, Math.min(n, e.list.size - e.next))
    const start = e.next
    e.next += count
    return { start, count }
  }
}

/**
 * A keyed pseudorandom permutation of [0, size): a balanced Feistel network (HMAC-SHA256 rounds)
 * with cycle walking. Position p → index π(p): unique by construction, unpredictable without the key.
 */
export class IndexPermutation {
  readonly #size: number
  readonly #half: number
  readonly #mask: number
  readonly #key: Uint8Array

  constructor(size: number, key: Uint8Array) {
    if (!Number.isInteger(size) || size < 2 || size > 2 ** 32)
      throw new StatusListError('status_list.index_out_of_range', 'list size out of range')
    let bits = Math.ceil(Math.log2(size))
    if (bits % 2) bits++
    this.#half = Math.max(1, bits / 2)
    this.#mask = 2 ** this.#half - 1
    this.#size = size
    this.#key = key
  }

  #f(round: number, r: number): number {
    const h = createHmac('sha256', this.#key)
      .update(Uint8Array.of(round, r >>> 24, r >>> 16, r >>> 8, r))
      .digest()
    return h.readUInt32BE(0) & this.#mask
  }

  #once(x: number): number {
    let l = Math.floor(x / 2 ** this.#half)
    let r = x & this.#mask
    for (let round = 0; round < 4; round++) {
      const next = (l ^ this.#f(round, r)) & this.#mask
      l = r
      r = next
    }
    return l * 2 ** this.#half + r
  }

  apply(position: number): number {
    let x = this.#once(position)
    while (x >= this.#size) x = this.#once(x) // cycle walking stays inside [0, size)
    return x
  }
}

export interface AllocatorOptions {
  store: AllocatorStore
  /** Entries per list (default 1,048,576). */
  listSize?: number
  bits?: Bits
  /** The URI of a new list, from its id. */
  uriFor: (listId: string) => string
  random?: RandomSource
  /** Called when a list is created (the registry creates its storage). */
  onNewList?: (list: AllocatorList) => Promise<void> | void
}

export interface AllocatedIndex {
  readonly uri: string
  readonly idx: number
  readonly listId: string
}

/**
 * Hands each new credential an unused index in a status list: never sequential (a keyed
 * permutation of the list's counter), never reused, rotating to a fresh list when one fills.
 */
export class StatusIndexAllocator {
  readonly #o: AllocatorOptions
  readonly #perms = new Map<string, IndexPermutation>()

  constructor(o: AllocatorOptions) {
    this.#o = o
  }

  async #newList(): Promise<AllocatorList> {
    const random = this.#o.random ?? systemRandom
    const id = b64uEncode(random.bytes(12))
    const list: AllocatorList = {
      id,
      uri: this.#o.uriFor(id),
      size: this.#o.listSize ?? 1 << 20,
      bits: this.#o.bits ?? 2,
      secret: b64uEncode(random.bytes(32)),
    }
    await this.#o.onNewList?.(list)
    await this.#o.store.addList(list)
    return list
  }

  #perm(list: AllocatorList): IndexPermutation {
    let p = this.#perms.get(list.id)
    if (!p) this.#perms.set(list.id, (p = new IndexPermutation(list.size, b64uDecode(list.secret))))
    return p
  }

  /** Allocate `n` indices (one per credential of a batch). */
  async allocate(n: number): Promise<AllocatedIndex[]> {
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
      throw new StatusListError('status_list.index_out_of_range', 'allocate 1..1,000,000 indices at a time')
    const out: AllocatedIndex[] = []
    let list = (await this.#o.store.activeList()) ?? (await this.#newList())
    for (let guard = 0; out.length < n; guard++) {
      if (guard > 1000) throw new StatusListError('status_list.list_full', 'could not find room in any status list')
      const { start, count } = await this.#o.store.reserve(list.id, n - out.length)
      const perm = this.#perm(list)
      for (let i = 0; i < count; i++) out.push({ uri: list.uri, idx: perm.apply(start + i), listId: list.id })
      if (out.length < n) list = await this.#newList()
    }
    return out
  }
}
