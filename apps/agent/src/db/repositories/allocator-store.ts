import type { Clock } from '@bonafide/core'
import { systemClock } from '@bonafide/core'
import { type AllocatorList, type AllocatorStore, type Bits, StatusList, StatusListError } from '@bonafide/status-list'
import { type Kysely, sql } from 'kysely'
import type { DB } from '../schema.js'

/**
 * Status-list allocation in PostgreSQL. `reserve` is one `update … returning`: concurrent callers on
 * any connection get disjoint positions, and a position is never handed out twice. The counter may
 * run past the list size when it fills; positions past it are simply not returned.
 */
export class PgAllocatorStore implements AllocatorStore {
  readonly #db: Kysely<DB>
  readonly #clock: Clock

  constructor(db: Kysely<DB>, o: { clock?: Clock } = {}) {
    this.#db = db
    this.#clock = o.clock ?? systemClock
  }

  async activeList(): Promise<AllocatorList | undefined> {
    const row = await this.#db
      .selectFrom('status_lists')
      .select(['id', 'uri', 'size', 'bits', 'secret'])
      .where('active', '=', true)
      .where(sql<boolean>`next < size`)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst()
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
    const row = await this.#db
      .updateTable('status_lists')
      .set({ next: sql<number>`next + ${n}` })
      .where('id', '=', listId)
      .where(sql<boolean>`next < size`)
      .returning(['next', 'size'])
      .executeTakeFirst()
    if (!row) {
      const exists = await this.#db.selectFrom('status_lists').select('id').where('id', '=', listId).executeTakeFirst()
      if (!exists) throw new StatusListError('status_list.list_unknown', 'no such status list')
      return { start: 0, count: 0 }
    }
    const start = row.next - n
    return { start, count: Math.max(0, Math.min(n, row.size - start)) }
  }
}
