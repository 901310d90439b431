import type { CopyRecord, CopyState, PoolRecord, PresentationLogEntry } from './model.js'
import { emptyState, stateOps, type WalletState } from './state.js'
import type { TakeOptions, WalletStore } from './store.js'

const copy = <T>(v: T): T => structuredClone(v)

/** A wallet in memory (tests, short-lived agents). Every operation is one synchronous step, so `take` is atomic. */
export class MemoryWalletStore implements WalletStore {
  readonly #s: WalletState = emptyState()

  async addPool(pool: PoolRecord, copies: readonly CopyRecord[]): Promise<void> {
    stateOps.addPool(this.#s, copy(pool), copy(copies))
  }
  async refillPool(pool: PoolRecord, copies: readonly CopyRecord[]): Promise<void> {
    stateOps.refillPool(this.#s, copy(pool), copy(copies))
  }
  async getPool(id: string): Promise<PoolRecord | undefined> {
    return copy(this.#s.pools[id])
  }
  async listPools(): Promise<PoolRecord[]> {
    return copy(Object.values(this.#s.pools))
  }
  async listCopies(poolId: string): Promise<CopyRecord[]> {
    return copy(Object.values(this.#s.copies).filter((c) => c.poolId === poolId))
  }
  async take(poolId: string, o: TakeOptions): Promise<CopyRecord | undefined> {
    return copy(stateOps.take(this.#s, poolId, o))
  }
  async release(ids: readonly string[]): Promise<void> {
    stateOps.release(this.#s, ids)
  }
  async mark(ids: readonly string[], state: CopyState): Promise<void> {
    stateOps.mark(this.#s, ids, state)
  }
  async deleteCopies(ids: readonly string[]): Promise<CopyRecord[]> {
    return stateOps.deleteCopies(this.#s, ids)
  }
  async deletePool(id: string): Promise<CopyRecord[]> {
    return stateOps.deletePool(this.#s, id)
  }
  async appendLog(e: PresentationLogEntry): Promise<void> {
    stateOps.appendLog(this.#s, copy(e))
  }
  async listLog(): Promise<PresentationLogEntry[]> {
    return copy(this.#s.log)
  }
}
