import { AsyncLocalStorage } from 'node:async_hooks'
import type { Clock } from '@bonafide/core'
import type { SessionResult, VerifierSession } from '@bonafide/openid4vp'
import type { Db } from '../database.js'
import type { Kek } from '../kek.js'
import { PgVerifierSessionStore } from './verifier-session-store.js'

/** What the agent adds to a library session when it is created (passed through AsyncLocalStorage). */
export interface PendingPresentation {
  readonly queryKind: 'dcql' | 'pex'
  readonly responseMode: string
  readonly policy?: Record<string, unknown>
  readonly transactionData?: readonly unknown[]
}

/** Steps of a session that move the agent's state, each in the transaction of the protocol step. */
export interface PresentationHooks {
  created(trx: Db, s: VerifierSession, p: PendingPresentation): Promise<void>
  fetched(trx: Db, id: string): Promise<void>
  released(trx: Db, id: string): Promise<void>
  completed(trx: Db, id: string, result: SessionResult): Promise<void>
}

export const pendingPresentation = new AsyncLocalStorage<PendingPresentation>()

/**
 * The OpenID4VP session store the agent mounts: PgVerifierSessionStore, plus the agent's presentation
 * session (state, report, policy decision) and its events written in the same transaction as each step.
 */
export class PresentationSessionStore extends PgVerifierSessionStore {
  readonly #db: Db
  readonly #o: { clock: Clock; kek: Kek }
  readonly #hooks: PresentationHooks

  constructor(db: Db, o: { clock: Clock; kek: Kek; hooks: PresentationHooks }) {
    super(db, o)
    this.#db = db
    this.#o = { clock: o.clock, kek: o.kek }
    this.#hooks = o.hooks
  }

  #inner(trx: Db): PgVerifierSessionStore {
    return new PgVerifierSessionStore(trx, this.#o)
  }

  override async create(s: VerifierSession): Promise<void> {
    const p = pendingPresentation.getStore()
    if (!p) return super.create(s)
    await this.#db.transaction().execute(async (trx) => {
      await this.#inner(trx).create(s)
      await this.#hooks.created(trx, s, p)
    })
  }

  override claimRequestUri(id: string): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const ok = await this.#inner(trx).claimRequestUri(id)
      if (ok) await this.#hooks.fetched(trx, id)
      return ok
    })
  }

  override releaseRequestUri(id: string): Promise<void> {
    return this.#db.transaction().execute(async (trx) => {
      await this.#inner(trx).releaseRequestUri(id)
      await this.#hooks.released(trx, id)
    })
  }

  override complete(id: string, result: SessionResult, responseCode?: string): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const ok = await this.#inner(trx).complete(id, result, responseCode)
      if (ok) await this.#hooks.completed(trx, id, result)
      return ok
    })
  }
}
