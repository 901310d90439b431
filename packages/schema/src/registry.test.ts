import { FakeClock, isVcError } from '@bonafide/core'
import { describe, expect, it } from 'vitest'
import { runSchemaRegistryContract } from './contract.js'
import { MemorySchemaRegistry } from './registry.js'

runSchemaRegistryContract('memory', () => new MemorySchemaRegistry())

describe('MemorySchemaRegistry', () => {
  it('stamps createdAt from the injected clock and stores frozen records', async () => {
    const clock = new FakeClock(1_750_000_000_000)
    const r = new MemorySchemaRegistry({ clock })
    const rec = await r.add({ name: 'n', version: '1.0.0', author: 'a', schema: { type: 'object' } })
    expect(rec.createdAt).toBe(1_750_000_000_000)
    expect(Object.isFrozen(rec) && Object.isFrozen(rec.schema) && Object.isFrozen(rec.tags)).toBe(true)
  })
  it('reports the previous version and the reasons when a bump is missing', async () => {
    const r = new MemorySchemaRegistry()
    await r.add({ name: 'n', version: '1.0.0', author: 'a', schema: { properties: { a: {} } } })
    try {
      await r.add({ name: 'n', version: '1.1.0', author: 'a', schema: { properties: {} } })
      expect.unreachable()
    } catch (e) {
      expect(isVcError(e, 'schema.version_bump_required')).toBe(true)
      expect((e as { details: unknown }).details).toEqual({
        previous: '1.0.0',
        kind: 'breaking',
        reasons: ['breaking: /a: property removed'],
      })
    }
  })
  it('compares a back-ported version with the version below it, not the latest', async () => {
    const r = new MemorySchemaRegistry()
    const s1 = { properties: { a: { type: 'string' } } }
    await r.add({ name: 'n', version: '1.0.0', author: 'a', schema: s1 })
    await r.add({ name: 'n', version: '2.0.0', author: 'a', schema: { properties: {} } })
    const fix = await r.add({ name: 'n', version: '1.0.1', author: 'a', schema: { ...s1, title: 'fixed' } })
    expect(fix.version).toBe('1.0.1')
    expect((await r.latest('n'))?.version).toBe('2.0.0')
  })
})
