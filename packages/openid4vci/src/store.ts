import type { JsonObject } from '@bonafide/core'
import type { ReplayGuard } from '@bonafide/oauth2'

/** What the issuer keeps: offers, codes, tokens, nonces, sessions, deferred transactions, notifications. */
export type StoreKind =
  | 'offer'
  | 'session'
  | 'pre_authorized_code'
  | 'tx_code_attempts'
  | 'par'
  | 'authorization_code'
  | 'access_token'
  | 'refresh_token'
  | 'c_nonce'
  | 'dpop_nonce'
  | 'deferred'
  | 'notification'

/**
 * Issuer state. Values are JSON (a SQL store keeps them in a JSON column). Contract:
 * - `take` is atomic: of concurrent takes of one key, exactly one gets the value (single use);
 * - `increment` is atomic and returns the new count;
 * - `useOnce` (ReplayGuard) is atomic: exactly one caller of a key gets true until it expires;
 * - expired entries are never returned.
 */
export interface IssuerStore extends ReplayGuard {
  put(kind: StoreKind, key: string, value: JsonObject, expiresAtMs: number): Promise<void>
  get(kind: StoreKind, key: string): Promise<JsonObject | undefined>
  take(kind: StoreKind, key: string): Promise<JsonObject | undefined>
  delete(kind: StoreKind, key: string): Promise<void>
  increment(kind: StoreKind, key: string, expiresAtMs: number): Promise<number>
}

interface Entry {
  value: JsonObject | number
  exp: number
}

/** In-memory IssuerStore (one process). Operations complete without awaiting, so they are atomic. */
export class MemoryIssuerStore implements IssuerStore {
  readonly #m = new Map<string, Entry>()
  readonly #now: () => number
  constructor(opts: { now?: () => number } = {}) {
    this.#now = opts.now ?? Date.now
  }
  #live(k: string): Entry | undefined {
    const e = this.#m.get(k)
    if (!e) return undefined
    if (e.exp <= this.#now()) {
      this.#m.delete(k)
      return undefined
    }
    return e
  }
  #sweep(): void {
    if (this.#m.size < 50_000) return
    const now = this.#now()
    for (const [k, e] of this.#m) if (e.exp <= now) this.#m.delete(k)
  }
  async put(kind: StoreKind, key: string, value: JsonObject, expiresAtMs: number): Promise<void> {
    this.#sweep()
    this.#m.set(`${kind}\u0000${key}`, { value: structuredClone(value), exp: expiresAtMs })
  }
  async get(kind: StoreKind, key: string): Promise<JsonObject | undefined> {
    const v = this.#live(`${kind}\u0000${key}`)?.value
    return typeof v === 'object' ? structuredClone(v) : undefined
  }
  async take(kind: StoreKind, key: string): Promise<JsonObject | undefined> {
    const k = `${kind}\u0000${key}`
    const v = this.#live(k)?.value
    this.#m.delete(k)
    return typeof v === 'object' ? v : undefined
  }
  async delete(kind: StoreKind, key: string): Promise<void> {
    this.#m.delete(`${kind}\u0000${key}`)
  }
  async increment(kind: StoreKind, key: string, expiresAtMs: number): Promise<number> {
    const k = `${kind}\u0000${key}`
    const e = this.#live(k)
    const n = (typeof e?.value === 'number' ? e.value : 0) + 1
    this.#m.set(k, { value: n, exp: e?.exp ?? expiresAtMs })
    return n
  }
  async useOnce(key: string, expiresAtMs: number): Promise<boolean> {
    const k = `replay\u0000${key}`
    if (this.#live(k)) return false
    this.#sweep()
    this.#m.set(k, { value: 1, exp: expiresAtMs })
    return true
  }
}
