import { chmod, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from './helpers.js'

describe('bonafide serve', () => {
  it('a bad setting stops the start with one line and exit code 2', async () => {
    const r = await cli(['serve'], { env: { PORT: 'eighty' } })
    expect(r.code).toBe(2)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toContain('PORT')
  })
  it('a key-encryption key that does not open the stored keys stops the start (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bonafide-serve-'))
    try {
      let stop: () => void = () => undefined
      const stopSignal = new Promise<void>((r) => {
        stop = r
      })
      const { runCli } = await import('../src/cli.js')
      let out = ''
      const first = runCli(['serve', '--port', '0', '--data', dir], {
        out: (t) => {
          out += t
          if (t.startsWith('Bonafide agent listening')) setTimeout(stop, 0)
        },
        err: () => undefined,
        readStdin: async () => '',
        env: { BONAFIDE_KEK: 'a'.repeat(64), BONAFIDE_LOG: 'silent' },
        stopSignal,
      })
      expect(await first).toBe(0)
      expect(out).toContain('Admin API key')
      const r = await cli(['serve', '--port', '0', '--data', dir], {
        env: { BONAFIDE_KEK: 'b'.repeat(64), BONAFIDE_LOG: 'silent' },
      })
      expect(r.code).toBe(2)
      expect(r.err).toContain('key-encryption key')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
  it('without BONAFIDE_KEK a 0600 kek.key is created beside the database (not inside it); one others can read stops the start (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bonafide-serve-kek-'))
    try {
      let stop: () => void = () => undefined
      const stopSignal = new Promise<void>((r) => {
        stop = r
      })
      const { runCli } = await import('../src/cli.js')
      const code = await runCli(['serve', '--port', '0', '--data', dir], {
        out: (t) => {
          if (t.startsWith('Bonafide agent listening')) setTimeout(stop, 0)
        },
        err: () => undefined,
        readStdin: async () => '',
        env: { BONAFIDE_LOG: 'silent' },
        stopSignal,
      })
      expect(code).toBe(0)
      expect((await stat(join(dir, 'kek.key'))).mode & 0o777).toBe(0o600)
      expect((await stat(join(dir, 'pgdata'))).isDirectory()).toBe(true)
      await chmod(join(dir, 'kek.key'), 0o644)
      const r = await cli(['serve', '--port', '0', '--data', dir], { env: { BONAFIDE_LOG: 'silent' } })
      expect(r.code).toBe(2)
      expect(r.err).toContain('chmod 600')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
