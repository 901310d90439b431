import type { Clock, JsonObject } from '@bonafide/core'
import type { StoreKind } from '@bonafide/openid4vci'
import type { Kysely } from 'kysely'
import type { DB } from '../schema.js'
import { appendEvent } from './events.js'
import { PgIssuerStore } from './issuer-store.js'

/**
 * The issuer store the agent mounts: PgIssuerStore, plus the issuance session's state moved in the
 * same transaction as the protocol step. Redeeming a pre-authorized code is one transaction: the
 * code is taken only while its session is `offered` and unexpired (a redeemed or expired offer
 * answers as an unknown code), and the session becomes `token_issued`.
 */
export class IssuanceStore extends PgIssuerStore {
  readonly #db: Kysely<DB>
  readonly #clock: Clock

  constructor(db: Kysely<DB>, o: { clock: Clock }) {
    super(db, o)
    this.#db = db
    this.#clock = o.clock
  }

  override async take(kind: StoreKind, key: string): Promise<JsonObject | undefined> {
    // Redeeming the offer: its pre-authorized code, or its issuer_state at the authorization endpoint.
    if (kind !== 'pre_authorized_code' && !(kind === 'offer' && key.startsWith('state:'))) return super.take(kind, key)
    return this.#db.transaction().execute(async (trx) => {
      const value = await new PgIssuerStore(trx, { clock: this.#clock }).take(kind, key)
      if (!value || typeof value.sessionId !== 'string') return value
      const now = this.#clock.now()
      const s = await trx
        .updateTable('issuance_sessions')
        .set({ state: 'token_issued', updated_at: now })
        .where('protocol_session_id', '=', value.sessionId)
        .where('state', '=', 'offered')
        .where('expires_at', '>', now)
        .returning('id')
        .executeTakeFirst()
      if (!s) {
        const known = await trx
          .selectFrom('issuance_sessions')
          .select('id')
          .where('protocol_session_id', '=', value.sessionId)
          .executeTakeFirst()
        return known ? undefined : value
      }
      await appendEvent(trx, { type: 'issuance.offer_redeemed', subject: s.id, data: {}, at: now })
      return value
    })
  }

  override async put(kind: StoreKind, key: string, value: JsonObject, expiresAtMs: number): Promise<void> {
    if (kind !== 'deferred' || typeof value.sessionId !== 'string') return super.put(kind, key, value, expiresAtMs)
    await this.#db.transaction().execute(async (trx) => {
      await new PgIssuerStore(trx, { clock: this.#clock }).put(kind, key, value, expiresAtMs)
      const now = this.#clock.now()
      const s = await trx
        .updateTable('issuance_sessions')
        .set({ state: 'issuing', updated_at: now })
        .where('protocol_session_id', '=', value.sessionId as string)
        .returning('id')
        .executeTakeFirst()
      if (s) await appendEvent(trx, { type: 'issuance.awaiting_approval', subject: s.id, data: {}, at: now })
    })
  }
}
