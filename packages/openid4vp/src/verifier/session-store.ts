import type { JsonObject } from '@bonafide/core'
import type { PublicJwk } from '@bonafide/keys'
import type { PexValidationResult } from '../pex/validate.js'
import type { ResponseValidationResult } from '../validate.js'

/**
 * What a session asked, exactly one of: a DCQL query (OpenID4VP 1.0 §6, the only query language of
 * §5.1), or a DIF Presentation Exchange 2.1.1 definition (the legacy path of the drafts before 1.0).
 */
export type SessionQuery =
  | { readonly dcql: JsonObject; readonly presentationDefinition?: undefined }
  | { readonly presentationDefinition: JsonObject; readonly dcql?: undefined }

/** The members of a session besides its query. */
export interface VerifierSessionBase {
  readonly id: string
  readonly nonce: string
  readonly state: string
  readonly transactionData?: readonly string[]
  /** direct_post.jwt / dc_api.jwt: the per-session response encryption key (private JWK kept by the verifier). */
  readonly encryption?: { readonly privateJwk: JsonObject; readonly jwk: PublicJwk & { kid: string } }
  /** DC API sessions: the origins the request was made for. */
  readonly expectedOrigins?: readonly string[]
  /** By reference (§5.10): the request object is made when the wallet fetches it, once. */
  readonly byReference?: boolean
  /** Epoch ms after which the session is gone. */
  readonly expiresAt: number
}

/** One verification session: what the verifier asked, with which nonce and state, and (once) its outcome. */
export type VerifierSession = VerifierSessionBase & SessionQuery

/**
 * A session's outcome. For Presentation Exchange sessions `credentials` lists the input descriptors
 * (`queryId` is the descriptor id), `unsatisfiedSets` is empty, and `pex` holds the full PEX result
 * (submission requirements, retainable claims).
 */
export type SessionResult = ResponseValidationResult & {
  readonly state: 'accepted' | 'rejected'
  readonly pex?: PexValidationResult
}

/**
 * Where a verifier keeps its sessions: memory for one process, a database when several instances share
 * the work. Every "once" operation must be atomic in the store (two instances never both win).
 */
export interface VerifierSessionStore {
  create(s: VerifierSession): Promise<void>
  /** The session, unless unknown or expired. */
  get(id: string): Promise<VerifierSession | undefined>
  /** The session whose response encryption key has this `kid` (the JWE header names it). */
  getByEncryptionKid(kid: string): Promise<VerifierSession | undefined>
  /** Consume a `state`: its session id the first time, undefined afterwards. */
  takeState(state: string): Promise<string | undefined>
  /** The request_uri may be fetched once: true for the first claim. `release` allows a retry after a refused fetch. */
  claimRequestUri(id: string): Promise<boolean>
  releaseRequestUri(id: string): Promise<void>
  /** Record the outcome once (false when the session already has one), with the response code that resumes it. */
  complete(id: string, result: SessionResult, responseCode?: string): Promise<boolean>
  result(id: string): Promise<SessionResult | undefined>
  /** The outcome for a response code, once. */
  takeResponseCode(code: string): Promise<SessionResult | undefined>
}

interface Entry {
  s: VerifierSession
  fetched: boolean
  stateUsed: boolean
  result?: SessionResult
  code?: string
}

/** Sessions in memory, dropped when they expire (checked on access, and swept as new ones arrive). */
export class MemoryVerifierSessionStore implements VerifierSessionStore {
  readonly #by = new Map<string, Entry>()
  readonly #byState = new Map<string, string>()
  readonly #byKid = new Map<string, string>()
  readonly #byCode = new Map<string, string>()
  readonly #now: () => number

  constructor(o: { now?: () => number } = {}) {
    this.#now = o.now ?? Date.now
  }

  #live(id: string | undefined): Entry | undefined {
    const e = id === undefined ? undefined : this.#by.get(id)
    if (!e) return undefined
    if (e.s.expiresAt > this.#now()) return e
    this.#drop(e)
    return undefined
  }

  #drop(e: Entry): void {
    this.#by.delete(e.s.id)
    this.#byState.delete(e.s.state)
    if (e.s.encryption) this.#byKid.delete(e.s.encryption.jwk.kid)
    if (e.code) this.#byCode.delete(e.code)
  }

  async create(s: VerifierSession): Promise<void> {
    const now = this.#now()
    for (const e of this.#by.values()) if (e.s.expiresAt <= now) this.#drop(e)
    this.#by.set(s.id, { s: structuredClone(s), fetched: false, stateUsed: false })
    this.#byState.set(s.state, s.id)
    if (s.encryption) this.#byKid.set(s.encryption.jwk.kid, s.id)
  }
  async get(id: string): Promise<VerifierSession | undefined> {
    return this.#live(id)?.s
  }
  async getByEncryptionKid(kid: string): Promise<VerifierSession | undefined> {
    return this.#live(this.#byKid.get(kid))?.s
  }
  async takeState(state: string): Promise<string | undefined> {
    const e = this.#live(this.#byState.get(state))
    if (!e || e.stateUsed) return undefined
    e.stateUsed = true
    return e.s.id
  }
  async claimRequestUri(id: string): Promise<boolean> {
    const e = this.#live(id)
    if (!e?.s.byReference || e.fetched || e.result) return false
    e.fetched = true
    return true
  }
  async releaseRequestUri(id: string): Promise<void> {
    const e = this.#live(id)
    if (e) e.fetched = false
  }
  async complete(id: string, result: SessionResult, responseCode?: string): Promise<boolean> {
    const e = this.#live(id)
    if (!e || e.result) return false
    e.result = result
    if (responseCode) {
      e.code = responseCode
      this.#byCode.set(responseCode, id)
    }
    return true
  }
  async result(id: string): Promise<SessionResult | undefined> {
    return this.#live(id)?.result
  }
  async takeResponseCode(code: string): Promise<SessionResult | undefined> {
    const id = this.#byCode.get(code)
    this.#byCode.delete(code)
    const e = this.#live(id)
    if (!e) return undefined
    delete e.code
    return e.result
  }
}
