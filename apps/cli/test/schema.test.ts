import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type CliResult, cli } from './helpers.js'

/** `bonafide schema …` through the registered command. */
function run(args: string[], opts: { stdin?: string } = {}): Promise<CliResult> {
  return cli(['schema', ...args], opts)
}

let dir = ''
const f = (n: string) => join(dir, n)
const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    name: { type: 'string' },
    email: { type: 'string', format: 'email' },
    address: { $ref: 'https://example.com/schemas/address.json' },
  },
  required: ['name', 'email'],
}
const address = { $id: 'https://example.com/schemas/address.json', type: 'object', required: ['city'] }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bf-schema-'))
  await writeFile(f('schema.json'), JSON.stringify(schema))
  await writeFile(f('address.json'), JSON.stringify(address))
  await writeFile(f('local.json'), JSON.stringify({ ...schema, properties: { ...schema.properties, address: {} } }))
  await writeFile(f('good.json'), JSON.stringify({ name: 'Ada', email: 'ada@example.com', address: { city: 'London' } }))
  await writeFile(f('bad.json'), JSON.stringify({ name: 7, address: {} }))
  await writeFile(f('broken.json'), '{"name":')
})

describe('bonafide schema validate', () => {
  it('exit 0 and a readable line for valid claims (file and stdin)', async () => {
    const r = await run(['validate', '--schema', f('schema.json'), '--ref', f('address.json'), f('good.json')])
    expect(r).toMatchObject({ code: 0, out: 'valid: the claims match the schema\n' })
    const s = await run(['validate', '--schema', f('local.json'), '--json', '-'], { stdin: '{"name":"A","email":"a@b.co"}' })
    expect(s.code).toBe(0)
    expect(JSON.parse(s.out)).toEqual({ valid: true, errors: [] })
  })
  it('exit 1 listing each failed field, readable and --json', async () => {
    const args = ['validate', '--schema', f('schema.json'), '--ref', f('address.json'), f('bad.json')]
    const r = await run(args)
    expect(r.code).toBe(1)
    expect(r.out).toContain('invalid: 3 errors')
    expect(r.out).toMatch(/\/name\s+type: must be string/)
    expect(r.out).toMatch(/\/email\s+required/)
    expect(r.out).toMatch(/\/address\/city\s+required/)
    const j = await run([...args, '--json'])
    expect(j.code).toBe(1)
    expect(
      JSON.parse(j.out)
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['/address/city', '/email', '/name'])
  })
  it('exit 2 on usage errors, unreadable or broken inputs, and a schema with a remote $ref not loaded', async () => {
    expect((await run(['validate', f('good.json')])).code).toBe(2) // no --schema
    expect((await run(['validate', '--schema', f('schema.json')])).code).toBe(2) // no CLAIMS
    expect((await run(['validate', '--schema', f('nope.json'), f('good.json')])).code).toBe(2)
    expect((await run(['validate', '--schema', f('broken.json'), f('good.json')])).code).toBe(2)
    expect((await run(['validate', '--schema', f('local.json'), f('broken.json')])).code).toBe(2)
    expect((await run(['validate', '--schema', f('local.json'), '--bogus', f('good.json')])).code).toBe(2)
    const remote = await run(['validate', '--schema', f('schema.json'), f('good.json')])
    expect(remote.code).toBe(2)
    expect(remote.err).toContain('schema.ref_forbidden')
    expect((await run([])).code).toBe(2)
    expect((await run(['validate', '--help'])).code).toBe(0)
  })
})

describe('bonafide schema classify', () => {
  it('prints the change kind and reasons', async () => {
    const r = await run(['classify', f('local.json'), f('schema.json'), '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({
      kind: 'breaking',
      reasons: ['breaking: /address: $ref changed (not analysed, treated as breaking)'],
    })
    expect((await run(['classify', f('local.json'), f('local.json')])).out).toBe('none\n')
  })
})
