/**
 * `bonafide serve --workers N` as a real process tree on one PostgreSQL: N workers share the port, a change made
 * through one worker reaches the others' caches (LISTEN/NOTIFY), SIGTERM stops them all; the embedded database
 * refuses more than one worker.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createPgDatabase } from '../../agent/test/databases.js'

const BIN = fileURLToPath(new URL('../bin/bonafide.js', import.meta.url))
const ADMIN = `bfk_test_${'k'.repeat(40)}`

function serve(args: string[], env: Record<string, string>): { child: ChildProcess; url: Promise<string>; out: () => string } {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, BONAFIDE_LOG: 'silent', BONAFIDE_KEK: 'b'.repeat(64), BONAFIDE_ADMIN_KEY: ADMIN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (d) => {
    out += d
  })
  child.stderr?.on('data', (d) => {
    out += d
  })
  const url = new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out)
      if (m) {
        clearInterval(t)
        resolve(m[1] as string)
      }
    }, 50)
    child.once('exit', (code) => {
      clearInterval(t)
      reject(new Error(`exited ${code}: ${out}`))
    })
  })
  url.catch(() => undefined) // awaited only by the tests that expect a start
  return { child, url, out: () => out }
}

/** GET on a new connection each time (no keep-alive), so the cluster hands it to any worker. */
function fresh(url: string): Promise<any> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = ''
      res.on('data', (d) => {
        body += d
      })
      res.on('end', () => resolve(JSON.parse(body)))
    })
      .on('error', reject)
      .end()
  })
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))))

describe('serve --workers', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true })
  })

  it('two workers on PostgreSQL share the port; a configuration created through one is in every worker’s issuer metadata at once; SIGTERM stops both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bonafide-workers-'))
    dirs.push(dir)
    const s = serve(['--workers', '2', '--port', '0'], { DATABASE_URL: await createPgDatabase(), BONAFIDE_DATA: dir })
    try {
      const url = await s.url
      expect(s.out()).toContain('2 workers')
      const pids = new Set<number>()
      for (let i = 0; i < 40 && pids.size < 2; i++) {
        pids.add((await fresh(`${url}/health/live`)).pid)
      }
      expect(pids.size, `${[...pids]} ${s.out()}`).toBe(2)
      // both workers build (and cache) their issuer first, so only an invalidation can show the new configuration
      for (let i = 0; i < 4; i++) await fresh(`${url}/.well-known/openid-credential-issuer`)
      const created = await fetch(`${url}/v1/credential-configurations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'badge_sd_jwt', format: 'dc+sd-jwt', vct: 'https://example.com/badge' }),
      })
      expect(created.status, await created.clone().text()).toBe(201)
      await new Promise((r) => setTimeout(r, 200)) // NOTIFY is delivered on commit; give it a moment on a busy machine
      const seen = new Set<number>()
      for (let i = 0; i < 20; i++) {
        const m = await fresh(`${url}/.well-known/openid-credential-issuer`)
        expect(Object.keys(m.credential_configurations_supported)).toContain('badge_sd_jwt')
        // three requests per round over two round-robin workers: the metadata requests alternate between them
        seen.add((await fresh(`${url}/health/live`)).pid)
        seen.add((await fresh(`${url}/health/live`)).pid)
      }
      expect(seen.size).toBe(2)
    } finally {
      s.child.kill('SIGTERM')
    }
    expect(await exited(s.child)).toBe(0)
  })

  it('the embedded database refuses more than one worker (exit 2, with why)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bonafide-workers-'))
    dirs.push(dir)
    const s = serve(['--workers', '2', '--port', '0'], { BONAFIDE_DATA: dir })
    expect(await exited(s.child)).toBe(2)
    expect(s.out()).toContain('needs PostgreSQL')
    const bad = serve(['--workers', 'many'], { BONAFIDE_DATA: dir })
    expect(await exited(bad.child)).toBe(2)
  })
})
