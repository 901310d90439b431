import type { Clock } from '@bonafide/core'
import { systemClock } from '@bonafide/core'
import { type AllocatorList, type AllocatorStore, type Bits, StatusList, StatusListError } from '@bonafide/status-list'
import { CompiledQuery, type Kysely } from 'kysely'
import type { DB } from '../schema.js'

/**
 * Status-list allocation in PostgreSQL. `reserve` is one `update … returning`: concurrent callers on
 * any connection get disjoint positions, and a position is never handed out twice. The counter may
 * run past the list size when it fills; positions past it are simply not returned.
 */
// Run on every issued batch: fixed SQL text, no query building per call.
const ACTIVE =
  'select id, uri, size, bits, secret from status_lists where active and next < size order by created_at desc limit 1'
const RESERVE = 'update status_lists set next = next + $1 where id = $2 and next < size returning next, size'

export class PgAllocatorStore implements AllocatorStore {
  readonly #db: Kysely<DB>
  readonly #clock: Clock

  constructor(db: Kysely<DB>, o: { clock?: Clock } = {}) {
    this.#db = db
    this.#clock = o.clock ?? systemClock
  }

  async activeList(): Promise<AllocatorList | undefined> {
    const [row] = (await this.#db.executeQuery(CompiledQuery.raw(ACTIVE, []))).rows as {
      id: string
      uri: string
      size: number
      bits: number
      secret: string
    }[]
    return row ? { id: row.id, uri: row.uri, size: row.size, bits: row.bits as Bits, secret: row.secret } : undefined
  }

  async addList(list: AllocatorList): Promise<void> {
    const bytes = StatusList.create(list.size, list.bits).bytes
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('status_lists').set({ active: false }).where('active', '=', true).execute()
      await trx
        .insertInto('status_lists')
        .values({ ...list, next: 0, bytes, version: 0, active: true, created_at: this.#clock.now() })
        .execute()
    })
  }

  async reserve(listId: string, n: number): Promise<{ start: number; count: number }> {
    const [row] = (await this.#db.executeQuery(CompiledQuery.raw(RESERVE, [n, listId]))).rows as { next: number; size: number }[]
    if (!row) {
      const exists = await this.#db.selectFrom('status_lists').select('id').where('id', '=', listId).executeTakeFirst()
      if (!exists) throw new StatusListError('status_list.list_unknown', 'no such status list')
      return { start: 0, count: 0 }
    }
    const start = row.next - n
    return { start, count: Math.max(0, Math.min(n, row.size - start)) }
  }
}
