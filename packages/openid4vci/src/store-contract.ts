import { describe, expect, it } from 'vitest'
import type { IssuerStore } from './store.js'

/**
 * The IssuerStore contract: run it against any implementation (memory here, PostgreSQL in the agent).
 * @example runIssuerStoreContract('memory', () => new MemoryIssuerStore())
 */
export function runIssuerStoreContract(name: string, create: () => IssuerStore | Promise<IssuerStore>): void {
  const future = () => Date.now() + 60_000
  describe(`IssuerStore contract: ${name}`, () => {
    it('put/get round-trips a JSON value and get does not consume', async () => {
      const s = await create()
      await s.put('offer', 'k1', { a: 1, b: ['x'] }, future())
      expect(await s.get('offer', 'k1')).toEqual({ a: 1, b: ['x'] })
      expect(await s.get('offer', 'k1')).toEqual({ a: 1, b: ['x'] })
    })
    it('kinds are separate namespaces', async () => {
      const s = await create()
      await s.put('offer', 'k', { v: 1 }, future())
      expect(await s.get('session', 'k')).toBeUndefined()
    })
    it('expired entries are never returned', async () => {
      const s = await create()
      await s.put('c_nonce', 'old', { v: 1 }, Date.now() - 1)
      expect(await s.get('c_nonce', 'old')).toBeUndefined()
      expect(await s.take('c_nonce', 'old')).toBeUndefined()
    })
    it('take is single use under concurrency (exactly one of 20 concurrent takes wins)', async () => {
      const s = await create()
      await s.put('pre_authorized_code', 'code', { session: 's' }, future())
      const got = await Promise.all(Array.from({ length: 20 }, () => s.take('pre_authorized_code', 'code')))
      expect(got.filter((g) => g !== undefined)).toHaveLength(1)
    })
    it('increment is atomic under concurrency', async () => {
      const s = await create()
      const got = await Promise.all(Array.from({ length: 10 }, () => s.increment('tx_code_attempts', 'c', future())))
      expect([...got].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    })
    it('useOnce admits exactly one caller per key', async () => {
      const s = await create()
      const got = await Promise.all(Array.from({ length: 10 }, () => s.useOnce('jti-1', future())))
      expect(got.filter(Boolean)).toHaveLength(1)
      expect(await s.useOnce('jti-2', future())).toBe(true)
    })
    it('delete removes', async () => {
      const s = await create()
      await s.put('session', 'x', { v: 1 }, future())
      await s.delete('session', 'x')
      expect(await s.get('session', 'x')).toBeUndefined()
    })
  })
}
