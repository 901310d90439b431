import { isJsonObject } from '@bonafide/core'
import { WalletError } from './errors.js'
import type { CopyRecord, CopyState, PoolRecord, PresentationLogEntry } from './model.js'
import { type TakeOptions, usable } from './store.js'

/** The whole wallet as one value: what the memory store holds and the file store writes atomically. */
export interface WalletState {
  v: 1
  pools: Record<string, PoolRecord>
  copies: Record<string, CopyRecord>
  log: PresentationLogEntry[]
}

export const emptyState = (): WalletState => ({ v: 1, pools: {}, copies: {}, log: [] })

/** Check the shape of a state read back from storage (never trust a file). */
export function checkState(v: unknown): WalletState {
  if (!isJsonObject(v) || v.v !== 1 || !isJsonObject(v.pools) || !isJsonObject(v.copies) || !Array.isArray(v.log))
    throw new WalletError('wallet.store_corrupt', 'the wallet state is not a version 1 wallet')
  for (const c of Object.values(v.copies)) {
    if (!isJsonObject(c) || typeof c.poolId !== 'string' || typeof c.credential !== 'string' || !isJsonObject(c.keyRef))
      throw new WalletError('wallet.store_corrupt', 'a stored copy is malformed')
    if (!isJsonObject(v.pools[c.poolId])) throw new WalletError('wallet.store_corrupt', 'a copy belongs to no pool')
  }
  return v as unknown as WalletState
}

/** Check a batch against the state before anything changes (a refused batch leaves no trace). */
function checkCopies(s: WalletState, pool: PoolRecord, copies: readonly CopyRecord[]): void {
  const ids = new Set<string>()
  for (const c of copies) {
    if (c.poolId !== pool.id) throw new WalletError('wallet.import_invalid', 'a copy names another pool')
    if (s.copies[c.id] || ids.has(c.id)) throw new WalletError('wallet.import_invalid', 'a copy with this id exists')
    ids.add(c.id)
  }
}

/** The operations, each applied to a state in one synchronous step. */
export const stateOps = {
  addPool(s: WalletState, pool: PoolRecord, copies: readonly CopyRecord[]): void {
    if (s.pools[pool.id]) throw new WalletError('wallet.import_invalid', 'a pool with this id exists')
    checkCopies(s, pool, copies)
    s.pools[pool.id] = pool
    for (const c of copies) s.copies[c.id] = c
  },
  refillPool(s: WalletState, pool: PoolRecord, copies: readonly CopyRecord[]): void {
    if (!s.pools[pool.id]) throw new WalletError('wallet.pool_unknown', 'no such pool')
    checkCopies(s, pool, copies)
    for (const c of copies) s.copies[c.id] = c
    s.pools[pool.id] = pool
  },
  take(s: WalletState, poolId: string, o: TakeOptions): CopyRecord | undefined {
    const pool = s.pools[poolId]
    if (!pool) throw new WalletError('wallet.pool_unknown', 'no such pool')
    for (const c of Object.values(s.copies)) {
      if (c.poolId !== poolId || o.exclude?.has(c.id) || !usable(c, pool, o.now)) continue
      const uses = c.uses + 1
      const taken: CopyRecord = { ...c, uses, state: uses >= pool.policy.maxUses ? 'used' : 'unused' }
      s.copies[c.id] = taken
      return taken
    }
    return undefined
  },
  /** Undo a take that was never presented (nothing left the wallet). */
  release(s: WalletState, ids: readonly string[]): void {
    for (const id of ids) {
      const c = s.copies[id]
      if (c && c.uses > 0) s.copies[id] = { ...c, uses: c.uses - 1, state: 'unused' }
    }
  },
  mark(s: WalletState, ids: readonly string[], state: CopyState): void {
    for (const id of ids) {
      const c = s.copies[id]
      if (c) s.copies[id] = { ...c, state }
    }
  },
  deleteCopies(s: WalletState, ids: readonly string[]): CopyRecord[] {
    const out: CopyRecord[] = []
    for (const id of ids) {
      const c = s.copies[id]
      if (!c) continue
      out.push(c)
      delete s.copies[id]
    }
    return out
  },
  deletePool(s: WalletState, id: string): CopyRecord[] {
    const ids = Object.values(s.copies)
      .filter((c) => c.poolId === id)
      .map((c) => c.id)
    delete s.pools[id]
    return stateOps.deleteCopies(s, ids)
  },
  appendLog(s: WalletState, e: PresentationLogEntry): void {
    s.log.push(e)
  },
}
