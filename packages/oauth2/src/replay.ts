/**
 * Single-use markers (DPoP `jti`, client attestation PoP `jti`). `useOnce` MUST be atomic: of two
 * concurrent calls with the same key, exactly one returns true, also across instances sharing a store.
 */
export interface ReplayGuard {
  useOnce(key: string, expiresAtMs: number): Promise<boolean>
}

/** An in-memory ReplayGuard (one process). */
export class MemoryReplayGuard implements ReplayGuard {
  readonly #seen = new Map<string, number>()
  readonly #now: () => number
  constructor(now: () => number = Date.now) {
    this.#now = now
  }
  async useOnce(key: string, expiresAtMs: number): Promise<boolean> {
    const now = this.#now()
    const prev = this.#seen.get(key)
    if (prev !== undefined && prev > now) return false
    if (this.#seen.size > 10_000) for (const [k, exp] of this.#seen) if (exp <= now) this.#seen.delete(k)
    this.#seen.set(key, expiresAtMs)
    return true
  }
}
