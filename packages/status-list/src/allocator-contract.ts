import { describe, expect, it } from 'vitest'
import type { AllocatorList, AllocatorStore } from './allocator.js'
import { StatusIndexAllocator } from './allocator.js'

let n = 0
const list = (size = 64): AllocatorList => ({
  id: `list-${process.pid}-${++n}`,
  uri: `https://issuer.example/status/list-${n}`,
  size,
  bits: 2,
  secret: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
})

/**
 * The AllocatorStore contract: run it against any implementation (memory here, PostgreSQL in the agent).
 * @example runAllocatorStoreContract('memory', () => new MemoryAllocatorStore())
 */
export function runAllocatorStoreContract(name: string, create: () => AllocatorStore | Promise<AllocatorStore>): void {
  describe(`AllocatorStore contract: ${name}`, () => {
    it('has no active list until one is added; the last added is active', async () => {
      const s = await create()
      expect(await s.activeList()).toBeUndefined()
      const a = list()
      const b = list()
      await s.addList(a)
      expect(await s.activeList()).toEqual(a)
      await s.addList(b)
      expect(await s.activeList()).toEqual(b)
    })
    it('reserve hands out consecutive positions, then count 0 when full', async () => {
      const s = await create()
      const l = list(10)
      await s.addList(l)
      expect(await s.reserve(l.id, 4)).toEqual({ start: 0, count: 4 })
      expect(await s.reserve(l.id, 4)).toEqual({ start: 4, count: 4 })
      expect(await s.reserve(l.id, 4)).toEqual({ start: 8, count: 2 })
      expect((await s.reserve(l.id, 1)).count).toBe(0)
    })
    it('concurrent reserves never overlap and never exceed the list', async () => {
      const s = await create()
      const l = list(100)
      await s.addList(l)
      const got = await Promise.all(Array.from({ length: 30 }, (_, i) => s.reserve(l.id, 1 + (i % 5))))
      const positions = got.flatMap((r) => Array.from({ length: r.count }, (_, k) => r.start + k))
      expect(new Set(positions).size).toBe(positions.length)
      expect(positions.every((p) => p >= 0 && p < 100)).toBe(true)
      expect(positions.length).toBe(
        Math.min(
          100,
          got.reduce((a, _r, i) => a + 1 + (i % 5), 0),
        ),
      )
    })
    it('reserving on an unknown list is status_list.list_unknown', async () => {
      const s = await create()
      await expect(s.reserve('nope', 1)).rejects.toMatchObject({ code: 'status_list.list_unknown' })
    })
    it('the allocator over this store gives unique indices across list rotation', async () => {
      const s = await create()
      const a = new StatusIndexAllocator({ store: s, listSize: 16, uriFor: (id) => `https://issuer.example/status/${id}` })
      const got = (await Promise.all(Array.from({ length: 5 }, () => a.allocate(10)))).flat()
      const keys = got.map((g) => `${g.uri}#${g.idx}`)
      expect(new Set(keys).size).toBe(50)
      expect(got.every((g) => g.idx >= 0 && g.idx < 16)).toBe(true)
    })
  })
}
