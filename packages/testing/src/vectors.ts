import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/**
 * The shared vectors folder: `BONAFIDE_VECTORS` if set, else `../shared/vectors` beside the
 * checkout. Returns undefined (and suites skip with one printed line) where it is absent.
 */
export function vectorsDir(): string | undefined {
  const dir = process.env.BONAFIDE_VECTORS ?? join(repoRoot, '..', 'shared', 'vectors')
  return existsSync(dir) ? dir : undefined
}

const warned = new Set<string>()

/** Path to a vectors subfolder, or undefined with a one-line notice when missing. */
export function vectorsPath(sub: string): string | undefined {
  const dir = vectorsDir()
  const p = dir ? join(dir, sub) : undefined
  if (!p || !existsSync(p)) {
    if (!warned.has(sub)) {
      warned.add(sub)
      console.warn(`[vectors] skipping: ${sub} not found (set BONAFIDE_VECTORS to the shared vectors folder)`)
    }
    return undefined
  }
  return p
}

export function readVector(sub: string): string {
  const dir = vectorsDir()
  if (!dir) throw new Error('vectors folder absent')
  return readFileSync(join(dir, sub), 'utf8')
}
