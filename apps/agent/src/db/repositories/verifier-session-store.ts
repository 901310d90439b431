import type { Clock } from '@bonafide/core'
import { systemClock } from '@bonafide/core'
import type { SessionResult, VerifierSession, VerifierSessionStore } from '@bonafide/openid4vp'
import type { Kysely } from 'kysely'
import type { Kek } from '../kek.js'
import type { DB } from '../schema.js'

const enc = new TextEncoder()
const dec = new TextDecoder()

/**
 * OpenID4VP verifier sessions in PostgreSQL. Every "once" step (state, request_uri fetch, outcome,
 * response code) is one conditional `update … returning`, so two instances never both win.
 */
export class PgVerifierSessionStore implements VerifierSessionStore {
  readonly #db: Kysely<DB>
  readonly #clock: Clock
  readonly #kek: Kek | undefined

  /** With a `kek`, a session's response-decryption key is stored sealed (AAD `vp-session:<id>`). */
  constructor(db: Kysely<DB>, o: { clock?: Clock; kek?: Kek } = {}) {
    this.#db = db
    this.#clock = o.clock ?? systemClock
    this.#kek = o.kek
  }

  #seal(s: VerifierSession): VerifierSession {
    if (!this.#kek || !s.encryption) return s
    const sealed = this.#kek.seal(enc.encode(JSON.stringify(s.encryption.privateJwk)), `vp-session:${s.id}`)
    return { ...s, encryption: { ...s.encryption, privateJwk: { sealed } } }
  }

  #open(s: VerifierSession | undefined): VerifierSession | undefined {
    const sealed = s?.encryption?.privateJwk.sealed
    if (!s?.encryption || !this.#kek || typeof sealed !== 'string') return s
    const privateJwk = JSON.parse(dec.decode(this.#kek.open(sealed, `vp-session:${s.id}`)))
    return { ...s, encryption: { ...s.encryption, privateJwk } }
  }

  #live() {
    return this.#db.updateTable('verifier_sessions').where('expires_at', '>', this.#clock.now())
  }

  async create(s: VerifierSession): Promise<void> {
    const now = this.#clock.now()
    await this.#db.deleteFrom('verifier_sessions').where('expires_at', '<=', now).execute()
    await this.#db
      .insertInto('verifier_sessions')
      .values({
        id: s.id,
        state: s.state,
        kid: s.encryption?.jwk.kid ?? null,
        session: JSON.stringify(this.#seal(s)),
        by_reference: s.byReference === true,
        fetched: false,
        state_used: false,
        result: null,
        response_code: null,
        expires_at: s.expiresAt,
      })
      .execute()
  }

  async get(id: string): Promise<VerifierSession | undefined> {
    const r = await this.#db
      .selectFrom('verifier_sessions')
      .select('session')
      .where('id', '=', id)
      .where('expires_at', '>', this.#clock.now())
      .executeTakeFirst()
    return this.#open(r?.session as unknown as VerifierSession | undefined)
  }

  async getByEncryptionKid(kid: string): Promise<VerifierSession | undefined> {
    const r = await this.#db
      .selectFrom('verifier_sessions')
      .select('session')
      .where('kid', '=', kid)
      .where('expires_at', '>', this.#clock.now())
      .executeTakeFirst()
    return this.#open(r?.session as unknown as VerifierSession | undefined)
  }

  async takeState(state: string): Promise<string | undefined> {
    const r = await this.#live()
      .set({ state_used: true })
      .where('state', '=', state)
      .where('state_used', '=', false)
      .returning('id')
      .executeTakeFirst()
    return r?.id
  }

  async claimRequestUri(id: string): Promise<boolean> {
    const r = await this.#live()
      .set({ fetched: true })
      .where('id', '=', id)
      .where('by_reference', '=', true)
      .where('fetched', '=', false)
      .where('result', 'is', null)
      .returning('id')
      .executeTakeFirst()
    return r !== undefined
  }

  async releaseRequestUri(id: string): Promise<void> {
    await this.#live().set({ fetched: false }).where('id', '=', id).execute()
  }

  async complete(id: string, result: SessionResult, responseCode?: string): Promise<boolean> {
    const r = await this.#live()
      .set({ result: JSON.stringify(result), response_code: responseCode ?? null })
      .where('id', '=', id)
      .where('result', 'is', null)
      .returning('id')
      .executeTakeFirst()
    return r !== undefined
  }

  async result(id: string): Promise<SessionResult | undefined> {
    const r = await this.#db
      .selectFrom('verifier_sessions')
      .select('result')
      .where('id', '=', id)
      .where('expires_at', '>', this.#clock.now())
      .executeTakeFirst()
    return (r?.result ?? undefined) as SessionResult | undefined
  }

  async takeResponseCode(code: string): Promise<SessionResult | undefined> {
    const r = await this.#live()
      .set({ response_code: null })
      .where('response_code', '=', code)
      .returning('result')
      .executeTakeFirst()
    return (r?.result ?? undefined) as SessionResult | undefined
  }
}
