import type { Clock } from '@bonafide/core'
import { systemClock } from '@bonafide/core'
import {
  type CopyRecord,
  type CopyState,
  type PoolRecord,
  type PresentationLogEntry,
  type TakeOptions,
  WalletError,
  type WalletStore,
} from '@bonafide/wallet'
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely'
import type { DB, WalletCopyTable } from '../schema.js'

type CopyRow = Selectable<WalletCopyTable>

/** Rows per insert (well under PostgreSQL's 65535 parameters). */
const CHUNK = 1000

/** The record with its authoritative columns (uses, state, valid_until) merged back. */
function toCopy(r: CopyRow): CopyRecord {
  const { validUntil: _, ...rest } = r.record as unknown as CopyRecord
  return {
    ...rest,
    uses: r.uses,
    state: r.state as CopyState,
    ...(r.valid_until === null ? {} : { validUntil: r.valid_until }),
  }
}

/** A batch must name this pool and repeat no id (ids already stored are caught by the insert). */
function checkBatch(pool: PoolRecord, copies: readonly CopyRecord[]): void {
  if (copies.some((c) => c.poolId !== pool.id)) throw new WalletError('wallet.import_invalid', 'a copy names another pool')
  if (new Set(copies.map((c) => c.id)).size !== copies.length)
    throw new WalletError('wallet.import_invalid', 'a copy with this id exists')
}

/** Insert copies in order (seq follows the batch); any id already stored refuses the whole batch. */
async function insertCopies(trx: Transaction<DB>, copies: readonly CopyRecord[]): Promise<void> {
  for (let i = 0; i < copies.length; i += CHUNK) {
    const part = copies.slice(i, i + CHUNK)
    const rows = part.map((c) => ({
      id: c.id,
      pool_id: c.poolId,
      record: JSON.stringify(c),
      uses: c.uses,
      state: c.state,
      valid_until: c.validUntil ?? null,
    }))
    const added = await trx
      .insertInto('wallet_copies')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute()
    if (added.length !== part.length) throw new WalletError('wallet.import_invalid', 'a copy with this id exists')
  }
}

export type ReceivedHook = (trx: Kysely<DB>, pool: PoolRecord, copies: number, how: 'received' | 'refilled') => Promise<unknown>

/**
 * A holder wallet in PostgreSQL. `take` is one `update … returning` over a row picked with
 * `for update skip locked`: concurrent presentations on any connection never share a copy.
 */
export class PgWalletStore implements WalletStore {
  readonly #db: Kysely<DB>
  readonly #clock: Clock
  readonly #onReceived: ReceivedHook | undefined

  /** `onReceived` runs inside the transaction that stores a batch (an event about it commits with it). */
  constructor(db: Kysely<DB>, o: { clock?: Clock; onReceived?: ReceivedHook } = {}) {
    this.#db = db
    this.#clock = o.clock ?? systemClock
    this.#onReceived = o.onReceived
  }

  async addPool(pool: PoolRecord, copies: readonly CopyRecord[]): Promise<void> {
    checkBatch(pool, copies)
    await this.#db.transaction().execute(async (trx) => {
      const added = await trx
        .insertInto('wallet_pools')
        .values({ id: pool.id, record: JSON.stringify(pool), created_at: this.#clock.now() })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!added) throw new WalletError('wallet.import_invalid', 'a pool with this id exists')
      await insertCopies(trx, copies)
      await this.#onReceived?.(trx, pool, copies.length, 'received')
    })
  }

  async refillPool(pool: PoolRecord, copies: readonly CopyRecord[]): Promise<void> {
    checkBatch(pool, copies)
    await this.#db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('wallet_pools')
        .set({ record: JSON.stringify(pool) })
        .where('id', '=', pool.id)
        .returning('id')
        .executeTakeFirst()
      if (!r) throw new WalletError('wallet.pool_unknown', 'no such pool')
      await insertCopies(trx, copies)
      if (copies.length > 0) await this.#onReceived?.(trx, pool, copies.length, 'refilled') // none: a rotated token only
    })
  }

  async getPool(id: string): Promise<PoolRecord | undefined> {
    const r = await this.#db.selectFrom('wallet_pools').select('record').where('id', '=', id).executeTakeFirst()
    return r?.record as PoolRecord | undefined
  }

  async listPools(): Promise<PoolRecord[]> {
    const rows = await this.#db.selectFrom('wallet_pools').select('record').orderBy('created_at').orderBy('id').execute()
    return rows.map((r) => r.record as unknown as PoolRecord)
  }

  async listCopies(poolId: string): Promise<CopyRecord[]> {
    const rows = await this.#db.selectFrom('wallet_copies').selectAll().where('pool_id', '=', poolId).orderBy('seq').execute()
    return rows.map(toCopy)
  }

  /** One statement: pick the oldest usable copy (skipping rows another take holds) and count the use. */
  async take(poolId: string, o: TakeOptions): Promise<CopyRecord | undefined> {
    const exclude = [...(o.exclude ?? [])]
    const notExcluded = exclude.length === 0 ? sql`true` : sql`c.id not in (${sql.join(exclude)})`
    const { rows } = await sql<CopyRow>`
      with pick as (
        select c.id, (p.record -> 'policy' ->> 'maxUses')::int as max
        from wallet_copies c join wallet_pools p on p.id = c.pool_id
        where c.pool_id = ${poolId} and c.state = 'unused' and c.uses < (p.record -> 'policy' ->> 'maxUses')::int
          and (c.valid_until is null or c.valid_until > ${o.now}) and ${notExcluded}
        order by c.seq limit 1
        for update of c skip locked
      )
      update wallet_copies w
      set uses = w.uses + 1, state = case when w.uses + 1 >= pick.max then 'used' else w.state end
      from pick where w.id = pick.id
      returning w.*`.execute(this.#db)
    const row = rows[0]
    if (row) return toCopy(row)
    if (!(await this.getPool(poolId))) throw new WalletError('wallet.pool_unknown', 'no such pool')
    return undefined
  }

  /** Undo a take never presented: one use back; a copy marked meanwhile (revoked…) stays marked. */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await this.#db
      .updateTable('wallet_copies')
      .set({ uses: sql`uses - 1`, state: sql`case when state = 'used' then 'unused' else state end` })
      .where('id', 'in', ids)
      .where('uses', '>', 0)
      .execute()
  }

  async mark(ids: readonly string[], state: CopyState): Promise<void> {
    if (ids.length === 0) return
    await this.#db.updateTable('wallet_copies').set({ state }).where('id', 'in', ids).execute()
  }

  /** The deleted copies, in the order asked for. */
  async deleteCopies(ids: readonly string[]): Promise<CopyRecord[]> {
    if (ids.length === 0) return []
    const rows = await this.#db.deleteFrom('wallet_copies').where('id', 'in', ids).returningAll().execute()
    const byId = new Map(rows.map((r) => [r.id, toCopy(r)]))
    return [...new Set(ids)].flatMap((id) => byId.get(id) ?? [])
  }

  async deletePool(id: string): Promise<CopyRecord[]> {
    return this.#db.transaction().execute(async (trx) => {
      const rows = await trx.deleteFrom('wallet_copies').where('pool_id', '=', id).returningAll().execute()
      await trx.deleteFrom('wallet_pools').where('id', '=', id).execute()
      return rows.sort((a, b) => a.seq - b.seq).map(toCopy)
    })
  }

  async appendLog(e: PresentationLogEntry): Promise<void> {
    await this.#db
      .insertInto('wallet_log')
      .values({ id: e.id, at: e.at, entry: JSON.stringify(e) })
      .execute()
  }

  async listLog(): Promise<PresentationLogEntry[]> {
    const rows = await this.#db.selectFrom('wallet_log').select('entry').orderBy('seq').execute()
    return rows.map((r) => r.entry as unknown as PresentationLogEntry)
  }
}
