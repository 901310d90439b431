import type { Clock } from '@bonafide/core'
import type { NonceGuard } from '@bonafide/openid4vp'
import type { Db } from '../database.js'

/** Each presentation nonce is used once across every instance: one insert that only the first caller wins. */
export class PgNonceGuard implements NonceGuard {
  readonly #db: Db
  readonly #clock: Clock
  readonly #ttlMs: number

  constructor(db: Db, o: { clock: Clock; ttlMs?: number }) {
    this.#db = db
    this.#clock = o.clock
    this.#ttlMs = o.ttlMs ?? 31 * 86_400_000
  }

  async consume(nonce: string): Promise<boolean> {
    const r = await this.#db
      .insertInto('issuer_state')
      .values({ kind: 'vp_nonce', key: nonce, value: null, counter: null, expires_at: this.#clock.now() + this.#ttlMs })
      .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst()
    return r !== undefined
  }
}
