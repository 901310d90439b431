import type { CopyRecord, CopyState, PoolRecord } from './model.js'
import { usable } from './store.js'

export interface PoolSummary {
  readonly pool: PoolRecord
  /** Copies that can still be presented now. */
  readonly unused: number
  readonly counts: Readonly<Record<CopyState, number>>
  /** Fewer unused copies than the policy's minimum: refill or ask for a new offer. */
  readonly low: boolean
}

export function summarizePool(pool: PoolRecord, copies: readonly CopyRecord[], now: number): PoolSummary {
  const counts: Record<CopyState, number> = { unused: 0, used: 0, revoked: 0, suspended: 0, expired: 0 }
  let unused = 0
  for (const c of copies) {
    const expired = c.state === 'unused' && c.validUntil !== undefined && c.validUntil <= now
    counts[expired ? 'expired' : c.state]++
    if (usable(c, pool, now)) unused++
  }
  return { pool, unused, counts, low: unused < pool.policy.minUnused }
}
