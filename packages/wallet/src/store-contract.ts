import { describe, expect, it } from 'vitest'
import type { CopyRecord, PoolRecord } from './model.js'
import type { WalletStore } from './store.js'

const NOW = 1_800_000_000_000

export function testPool(id: string, maxUses = 1): PoolRecord {
  return {
    id,
    format: 'dc+sd-jwt',
    type: 'urn:eudi:pid:1',
    issuer: 'https://issuer.example',
    claims: { given_name: 'Erika' },
    policy: { maxUses, minUnused: 3 },
    createdAt: NOW,
  }
}

export function testCopies(poolId: string, n: number, extra: Partial<CopyRecord> = {}): CopyRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${poolId}-c${i}`,
    poolId,
    credential: `credential-${poolId}-${i}`,
    keyRef: { store: 'memory', id: `${poolId}-k${i}` },
    uses: 0,
    state: 'unused' as const,
    ...extra,
  }))
}

/**
 * The WalletStore contract: run it against any implementation (memory and file here, PostgreSQL in the agent).
 * @example runWalletStoreContract('memory', () => new MemoryWalletStore())
 */
export function runWalletStoreContract(name: string, create: () => WalletStore | Promise<WalletStore>): void {
  describe(`WalletStore contract: ${name}`, () => {
    it('a pool and its copies round-trip; a second pool with the same id is refused', async () => {
      const s = await create()
      await s.addPool(testPool('p'), testCopies('p', 3))
      expect(await s.getPool('p')).toEqual(testPool('p'))
      expect((await s.listCopies('p')).map((c) => c.id)).toEqual(['p-c0', 'p-c1', 'p-c2'])
      await expect(s.addPool(testPool('p'), [])).rejects.toMatchObject({ code: 'wallet.import_invalid' })
      expect(await s.listPools()).toHaveLength(1)
    })
    it('take hands out each one-time copy once, then nothing', async () => {
      const s = await create()
      await s.addPool(testPool('p'), testCopies('p', 3))
      const ids = []
      for (let i = 0; i < 4; i++) ids.push((await s.take('p', { now: NOW }))?.id)
      expect(ids).toEqual(['p-c0', 'p-c1', 'p-c2', undefined])
      expect((await s.listCopies('p')).every((c) => c.state === 'used' && c.uses === 1)).toBe(true)
    })
    it('limited reuse: a copy is taken maxUses times', async () => {
      const s = await create()
      await s.addPool(testPool('p', 2), testCopies('p', 1))
      expect((await s.take('p', { now: NOW }))?.state).toBe('unused')
      expect((await s.take('p', { now: NOW }))?.state).toBe('used')
      expect(await s.take('p', { now: NOW })).toBeUndefined()
    })
    it('take never hands out the same copy to concurrent callers', async () => {
      const s = await create()
      await s.addPool(testPool('p'), testCopies('p', 10))
      const got = await Promise.all(Array.from({ length: 15 }, () => s.take('p', { now: NOW })))
      const ids = got.flatMap((c) => (c ? [c.id] : []))
      expect(ids).toHaveLength(10)
      expect(new Set(ids).size).toBe(10)
    })
    it('take skips expired, marked and excluded copies', async () => {
      const s = await create()
      await s.addPool(testPool('p'), [
        ...testCopies('p', 1, { validUntil: NOW - 1 }),
        ...testCopies('q', 2).map((c) => ({ ...c, poolId: 'p' })),
      ])
      await s.mark(['q-c0'], 'revoked')
      expect(await s.take('p', { now: NOW, exclude: new Set(['q-c1']) })).toBeUndefined()
      expect((await s.take('p', { now: NOW }))?.id).toBe('q-c1')
    })
    it('refill adds copies and replaces the pool record; deletes return what they removed', async () => {
      const s = await create()
      await s.addPool(testPool('p'), testCopies('p', 1))
      await s.refillPool({ ...testPool('p'), name: 'refilled' }, testCopies('p', 3).slice(1))
      expect((await s.getPool('p'))?.name).toBe('refilled')
      expect(await s.listCopies('p')).toHaveLength(3)
      expect((await s.deleteCopies(['p-c0', 'nope'])).map((c) => c.keyRef.id)).toEqual(['p-k0'])
      expect((await s.deletePool('p')).map((c) => c.id)).toEqual(['p-c1', 'p-c2'])
      expect(await s.getPool('p')).toBeUndefined()
      await expect(s.take('p', { now: NOW })).rejects.toMatchObject({ code: 'wallet.pool_unknown' })
    })
    it('a refused batch leaves no trace (no pool, no copy), duplicate copy ids within a batch included', async () => {
      const s = await create()
      await s.addPool(testPool('p'), testCopies('p', 1))
      await expect(s.addPool(testPool('q'), [...testCopies('q', 1), ...testCopies('p', 1)])).rejects.toMatchObject({
        code: 'wallet.import_invalid',
      })
      await expect(s.addPool(testPool('r'), [...testCopies('r', 1), ...testCopies('r', 1)])).rejects.toMatchObject({
        code: 'wallet.import_invalid',
      })
      expect((await s.listPools()).map((p) => p.id)).toEqual(['p'])
    })
    it('release gives back a taken copy that was never presented', async () => {
      const s = await create()
      await s.addPool(testPool('p'), testCopies('p', 1))
      const c = await s.take('p', { now: NOW })
      expect(await s.take('p', { now: NOW })).toBeUndefined()
      await s.release([c?.id as string])
      expect((await s.take('p', { now: NOW }))?.id).toBe(c?.id)
    })
    it('the presentation log appends in order', async () => {
      const s = await create()
      const entry = (id: string) => ({ id, at: NOW, verifier: { clientId: 'x' }, outcome: 'accepted' as const, credentials: [] })
      await s.appendLog(entry('a'))
      await s.appendLog(entry('b'))
      expect((await s.listLog()).map((e) => e.id)).toEqual(['a', 'b'])
    })
  })
}
