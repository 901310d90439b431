import { isVcError } from '@bonafide/core'
import { describe, expect, it } from 'vitest'
import type { SchemaRegistry } from './registry.js'

const v1 = {
  type: 'object',
  properties: { name: { type: 'string' }, degree: { type: 'string', enum: ['BSc', 'MSc'] } },
  required: ['name'],
}
const input = (version: string, schema: unknown = v1, extra: Record<string, unknown> = {}) => ({
  name: 'UniversityDegree',
  version,
  author: 'did:example:university',
  tags: ['education'],
  schema,
  ...extra,
})

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (e) {
    return isVcError(e) ? e.code : String(e)
  }
}

/**
 * The SchemaRegistry contract: run it against every implementation (memory here, PostgreSQL in the agent).
 * @example runSchemaRegistryContract('memory', () => new MemorySchemaRegistry())
 */
export function runSchemaRegistryContract(name: string, create: () => SchemaRegistry | Promise<SchemaRegistry>): void {
  describe(`SchemaRegistry contract: ${name}`, () => {
    it('add returns the stored version; get, getVersion and latest find it', async () => {
      const r = await create()
      const rec = await r.add(input('1.0.0', v1, { description: 'A degree' }))
      expect(rec).toMatchObject({ name: 'UniversityDegree', version: '1.0.0', author: 'did:example:university' })
      expect(rec.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(typeof rec.createdAt).toBe('number')
      expect(await r.get(rec.id)).toEqual(rec)
      expect(await r.getVersion('UniversityDegree', '1.0.0')).toEqual(rec)
      expect(await r.latest('UniversityDegree')).toEqual(rec)
      expect(await r.get('urn:uuid:00000000-0000-8000-8000-000000000000')).toBeUndefined()
      expect(await r.latest('Nothing')).toBeUndefined()
    })
    it('the id is stable: derived from name and version unless given', async () => {
      const [a, b] = [await create(), await create()]
      expect((await a.add(input('1.0.0'))).id).toBe((await b.add(input('1.0.0'))).id)
      const given = await a.add(input('1.1.0', v1, { id: 'urn:example:degree:1.1' }))
      expect(given.id).toBe('urn:example:degree:1.1')
    })
    it('re-adding the same content is idempotent; different content under the same version is schema.version_exists', async () => {
      const r = await create()
      const first = await r.add(input('1.0.0'))
      expect(await r.add(input('1.0.0'))).toEqual(first)
      expect(await code(r.add(input('1.0.0', { ...v1, required: [] })))).toBe('schema.version_exists')
      expect(await code(r.add(input('1.0.0', v1, { author: 'someone else' })))).toBe('schema.version_exists')
      expect(await r.getVersion('UniversityDegree', '1.0.0')).toEqual(first)
    })
    it('a new version never changes an old one, and returned records cannot change the store', async () => {
      const r = await create()
      const schema = structuredClone(v1)
      const old = await r.add(input('1.0.0', schema))
      schema.required.push('degree') // the caller's object, mutated after add
      try {
        ;(old.schema as { required?: unknown }).required = []
      } catch {}
      await r.add(input('1.1.0', { ...v1, properties: { ...v1.properties, minor: { type: 'string' } } }))
      const again = await r.getVersion('UniversityDegree', '1.0.0')
      expect(again?.schema).toEqual(v1)
      expect(again?.version).toBe('1.0.0')
    })
    it('latest orders by semantic version, not by text', async () => {
      const r = await create()
      await r.add(input('1.9.0'))
      await r.add(input('1.10.0'))
      await r.add(input('1.2.0'))
      expect((await r.latest('UniversityDegree'))?.version).toBe('1.10.0')
      expect((await r.list({ name: 'UniversityDegree' })).map((s) => s.version)).toEqual(['1.2.0', '1.9.0', '1.10.0'])
    })
    it('a breaking change needs a major bump (schema.version_bump_required)', async () => {
      const r = await create()
      await r.add(input('1.0.0'))
      const breaking = { ...v1, required: ['name', 'degree'] }
      expect(await code(r.add(input('1.1.0', breaking)))).toBe('schema.version_bump_required')
      expect(await code(r.add(input('1.0.1', breaking)))).toBe('schema.version_bump_required')
      expect((await r.add(input('2.0.0', breaking))).version).toBe('2.0.0')
    })
    it('an additive change needs at least a minor bump; an annotation change a patch bump', async () => {
      const r = await create()
      await r.add(input('1.0.0'))
      const additive = { ...v1, properties: { ...v1.properties, nickname: { type: 'string' } } }
      expect(await code(r.add(input('1.0.1', additive)))).toBe('schema.version_bump_required')
      await r.add(input('1.1.0', additive))
      await r.add(input('1.1.1', { ...additive, title: 'University degree' }))
      expect((await r.latest('UniversityDegree'))?.version).toBe('1.1.1')
    })
    it('list filters by name, tag and author', async () => {
      const r = await create()
      await r.add(input('1.0.0'))
      await r.add({ ...input('1.0.0'), name: 'Membership', tags: ['club'], author: 'did:example:club' })
      expect((await r.list()).map((s) => s.name)).toEqual(['Membership', 'UniversityDegree'])
      expect((await r.list({ tag: 'club' })).map((s) => s.name)).toEqual(['Membership'])
      expect((await r.list({ author: 'did:example:university' })).map((s) => s.name)).toEqual(['UniversityDegree'])
      expect(await r.list({ name: 'Membership', tag: 'education' })).toEqual([])
    })
    it('refuses invalid input with typed errors', async () => {
      const r = await create()
      expect(await code(r.add(input('1.0')))).toBe('schema.version_invalid')
      expect(await code(r.add(input('01.0.0')))).toBe('schema.version_invalid')
      expect(await code(r.add({ ...input('1.0.0'), author: '' }))).toBe('schema.metadata_invalid')
      expect(await code(r.add({ ...input('1.0.0'), extra: 1 }))).toBe('schema.metadata_invalid')
      expect(await code(r.add(input('1.0.0', [v1])))).toBe('schema.document_invalid')
      expect(await r.list()).toEqual([])
    })
    it('concurrent adds of one version with different content: exactly one wins', async () => {
      const r = await create()
      const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map((d) => r.add(input('1.0.0', { ...v1, description: d }))))
      expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1)
    })
  })
}
