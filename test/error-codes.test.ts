import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// Error codes are API: this test pins the full list. Adding a code means adding it to
// test/error-codes.txt in the same commit; renaming or removing one is a breaking change.
const root = join(import.meta.dirname, '..')
const packages = readdirSync(join(root, 'packages')).filter((p) => p !== 'testing')

async function collect(): Promise<Map<string, string>> {
  const codes = new Map<string, string>()
  for (const p of packages) {
    const mod = (await import(`@bonafide/${p}`)) as Record<string, unknown>
    for (const [name, value] of Object.entries(mod)) {
      if (!name.endsWith('_ERROR_CODES') || !Array.isArray(value)) continue
      for (const code of value as string[]) {
        expect(codes.has(code), `${code} is defined twice`).toBe(false)
        codes.set(code, p)
      }
    }
  }
  return codes
}

describe('error codes', () => {
  it('are namespaced package.snake_case and pinned in test/error-codes.txt', async () => {
    const codes = await collect()
    for (const code of codes.keys()) expect(code).toMatch(/^[a-z0-9_]+\.[a-z0-9_]+$/)
    const file = join(root, 'test', 'error-codes.txt')
    if (process.env.UPDATE_ERROR_CODES === '1') {
      const header = '# Every error code Bonafide throws, pinned by test/error-codes.test.ts (UPDATE_ERROR_CODES=1 rewrites it).'
      writeFileSync(file, `${[header, ...[...codes.keys()].sort()].join('\n')}\n`)
    }
    const pinned = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
    expect([...codes.keys()].sort()).toEqual([...pinned].sort())
  })
})
