import type { Clock, JsonObject } from '@bonafide/core'
import { systemClock } from '@bonafide/core'
import type { IssuerStore, StoreKind } from '@bonafide/openid4vci'
import { CompiledQuery, type Kysely, sql } from 'kysely'
import type { DB } from '../schema.js'

const REPLAY = 'replay'

// The hot statements of every protocol step, as fixed SQL text: no query building or compiling per call.
const PUT = `insert into issuer_state (kind, key, value, counter, expires_at) values ($1, $2, $3, null, $4)
  on conflict (kind, key) do update set value = excluded.value, counter = null, expires_at = excluded.expires_at`
const GET = 'select value from issuer_state where kind = $1 and key = $2 and expires_at > $3'
const TAKE = 'delete from issuer_state where kind = $1 and key = $2 returning value, expires_at'
const DELETE = 'delete from issuer_state where kind = $1 and key = $2'

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

  async #run<R>(text: string, params: readonly unknown[]): Promise<R[]> {
    return (await this.#db.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows
  }

  async put(kind: StoreKind, key: string, value: JsonObject, expiresAtMs: number): Promise<void> {
    await this.#run(PUT, [kind, key, JSON.stringify(value), Math.floor(expiresAtMs)])
  }

  async get(kind: StoreKind, key: string): Promise<JsonObject | undefined> {
    const [row] = await this.#run<{ value: unknown }>(GET, [kind, key, this.#clock.now()])
    return asObject(row?.value)
  }

  async take(kind: StoreKind, key: string): Promise<JsonObject | undefined> {
    const [row] = await this.#run<{ value: unknown; expires_at: number }>(TAKE, [kind, key])
    if (!row || row.expires_at <= this.#clock.now()) return undefined
    return asObject(row.value)
  }

  async delete(kind: StoreKind, key: string): Promise<void> {
    await this.#run(DELETE, [kind, key])
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
