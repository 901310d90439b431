import type { CopyRecord, CopyState, PoolRecord, PresentationLogEntry } from './model.js'

/** Why `take` passed over a copy. */
export interface TakeOptions {
  readonly now: number
  /** Copies not to take (already checked and found unusable in this presentation). */
  readonly exclude?: ReadonlySet<string>
}

/**
 * Where a wallet keeps pools, copies and its presentation log. `take` is the one operation that
 * must be atomic: it finds an unused, unexpired copy and counts the use in the same step, so two
 * concurrent presentations never take the same copy.
 */
export interface WalletStore {
  /** Add a pool with its copies in one step (a received batch). */
  addPool(pool: PoolRecord, copies: readonly CopyRecord[]): Promise<void>
  /** Add copies to an existing pool (a refill); replaces the pool record (e.g. a rotated refresh token). */
  refillPool(pool: PoolRecord, copies: readonly CopyRecord[]): Promise<void>
  getPool(id: string): Promise<PoolRecord | undefined>
  listPools(): Promise<PoolRecord[]>
  listCopies(poolId: string): Promise<CopyRecord[]>
  /** Take a copy for one presentation: `uses + 1`, state `used` once `uses` reaches the pool's maxUses. */
  take(poolId: string, o: TakeOptions): Promise<CopyRecord | undefined>
  /** Give back copies taken for a presentation that never left the wallet (one use each). */
  release(copyIds: readonly string[]): Promise<void>
  /** Mark copies (revoked, suspended, expired) so they are never taken again. */
  mark(copyIds: readonly string[], state: CopyState): Promise<void>
  /** Delete copies (a retired one-time copy); returns the deleted records so their keys can be deleted. */
  deleteCopies(copyIds: readonly string[]): Promise<CopyRecord[]>
  deletePool(id: string): Promise<CopyRecord[]>
  appendLog(entry: PresentationLogEntry): Promise<void>
  listLog(): Promise<PresentationLogEntry[]>
}

/** A copy that can still be presented at `now`. */
export function usable(c: CopyRecord, pool: PoolRecord, now: number): boolean {
  return c.state === 'unused' && c.uses < pool.policy.maxUses && (c.validUntil === undefined || c.validUntil > now)
}
