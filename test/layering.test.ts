import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// Layers from docs/architecture.md: a package may depend only on packages of a lower layer.
const LAYER: Record<string, number> = {
  core: 0,
  keys: 1,
  jose: 2,
  cose: 2,
  testing: 3,
  'sd-jwt': 3,
  mdoc: 3,
  'status-list': 3,
  did: 3,
  schema: 3,
  anoncreds: 3,
  'jwt-vc': 4,
  oauth2: 5,
  audit: 5,
  openid4vci: 6,
  openid4vp: 6,
  wallet: 7,
  agent: 8,
  cli: 9,
}

const root = join(import.meta.dirname, '..')
const pkgDirs = ['packages', 'apps'].flatMap((d) =>
  readdirSync(join(root, d))
    .map((n) => join(root, d, n))
    .filter((p) => statSync(p).isDirectory()),
)

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  )
}

describe('layering (docs/architecture.md)', () => {
  it.each(pkgDirs.map((d) => [d.slice(root.length + 1), d]))('%s depends only downward', (_n, dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const self = (pkg.name as string).replace('@bonafide/', '')
    expect(LAYER[self], `${self} has no layer`).toBeTypeOf('number')
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (!dep.startsWith('@bonafide/')) continue
      const d = dep.replace('@bonafide/', '')
      expect(LAYER[d], `${self} → ${d}`).toBeLessThan(LAYER[self] as number)
    }
  })

  it.each(pkgDirs.map((d) => [d.slice(root.length + 1), d]))(
    '%s imports other packages by name, never by relative path, and imports only what it declares',
    (_n, dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      const declared = new Set(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }))
      for (const file of sources(join(dir, 'src'))) {
        const text = readFileSync(file, 'utf8')
        for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
          const spec = m[1] as string
          expect(spec.includes('../../') || /(^|\/)packages\//.test(spec), `${file}: ${spec}`).toBe(false)
          if (spec.startsWith('@bonafide/')) {
            const name = spec.split('/').slice(0, 2).join('/')
            expect(declared.has(name), `${file} imports undeclared ${name}`).toBe(true)
          }
        }
      }
    },
  )
})
