import type { Clock, JsonObject } from '@bonafide/core'
import { systemClock } from '@bonafide/core'
import type { IssuerStore, StoreKind } from '@bonafide/openid4vci'
import { type Kysely, sql } from 'kysely'
import type { DB } from '../schema.js'

const REPLAY = 'replay'

function asObject(v: unknown): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined
}

/**
 * The OpenID4VCI issuer's state in PostgreSQL: one row per (kind, key) with an expiry. Single-use
 * steps are single statements (`delete … returning`, `insert … on conflict`), so they are atomic in
 * the database across connections and processes, not in the caller.
 */
export class PgIssuerStore implements IssuerStore {
  readonly #db: Kysely<DB>
  readonly #clock: Clock

  constructor(db: Kysely<DB>, o: { clock?: Clock } = {}) {
    this.#db = db
    this.#clock = o.clock ?? systemClock
  }

  async put(kind: StoreKind, key: string, value: JsonObject, expiresAtMs: number): Promise<void> {
    await this.#db
      .insertInto('issuer_state')
      .values({ kind, key, value: JSON.stringify(value), counter: null, expires_at: Math.floor(expiresAtMs) })
      .onConflict((oc) =>
        oc
          .columns(['kind', 'key'])
          .doUpdateSet({ value: JSON.stringify(value), counter: null, expires_at: Math.floor(expiresAtMs) }),
      )
      .execute()
  }

  async get(kind: StoreKind, key: string): Promise<JsonObject | undefined> {
    const row = await this.#db
      .selectFrom('issuer_state')
      .select('value')
      .where('kind', '=', kind)
      .where('key', '=', key)
      .where('expires_at', '>', this.#clock.now())
      .executeTakeFirst()
    return asObject(row?.value)
  }

  async take(kind: StoreKind, key: string): Promise<JsonObject | undefined> {
    const row = await this.#db
      .deleteFrom('issuer_state')
      .where('kind', '=', kind)
      .where('key', '=', key)
      .returning(['value', 'expires_at'])
      .executeTakeFirst()
    if (!row || row.expires_at <= this.#clock.now()) return undefined
    return asObject(row.value)
  }

  async delete(kind: StoreKind, key: string): Promise<void> {
    await this.#db.deleteFrom('issuer_state').where('kind', '=', kind).where('key', '=', key).execute()
  }

  async increment(kind: StoreKind, key: string, expiresAtMs: number): Promise<number> {
    const now = this.#clock.now()
    const row = await sql<{ counter: number }>`
      insert into issuer_state (kind, key, value, counter, expires_at) values (${kind}, ${key}, null, 1, ${Math.floor(expiresAtMs)})
      on conflict (kind, key) do update set
        counter = case when issuer_state.expires_at <= ${now} then 1 else coalesce(issuer_state.counter, 0) + 1 end,
        expires_at = case when issuer_state.expires_at <= ${now} then excluded.expires_at else issuer_state.expires_at end
      returning counter`.execute(this.#db)
    return Number(row.rows[0]?.counter)
  }

  async useOnce(key: string, expiresAtMs: number): Promise<boolean> {
    const now = this.#clock.now()
    const row = await sql`
      insert into issuer_state (kind, key, value, counter, expires_at) values (${REPLAY}, ${key}, null, null, ${Math.floor(expiresAtMs)})
      on conflict (kind, key) do update set expires_at = excluded.expires_at where issuer_state.expires_at <= ${now}
      returning 1`.execute(this.#db)
    return row.rows.length === 1
  }

  /** Remove expired rows (run periodically); returns how many went. */
  async sweep(): Promise<number> {
    const r = await this.#db.deleteFrom('issuer_state').where('expires_at', '<=', this.#clock.now()).executeTakeFirst()
    return Number(r.numDeletedRows)
  }
}
