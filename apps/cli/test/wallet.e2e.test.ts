import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createSafeFetcher, utf8Decode } from '@bonafide/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.js'
import type { Io } from '../src/io.js'
import { cli } from './helpers.js'

const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true, maxBytes: 4 << 20 })

/** Start a long-running demo command in-process; resolves with its first JSON line. */
async function startDemo(argv: string[]) {
  let stop: () => void = () => undefined
  const stopSignal = new Promise<void>((r) => {
    stop = r
  })
  let first: (line: string) => void = () => undefined
  const firstLine = new Promise<string>((r) => {
    first = r
  })
  const io: Io = { out: (t) => first(t), err: () => undefined, readStdin: async () => '', env: {}, stopSignal }
  const done = runCli(argv, io)
  const started = JSON.parse(await firstLine) as Record<string, string>
  return {
    started,
    stop: async () => {
      stop()
      await done
    },
  }
}

const PID_QUERY = {
  credentials: [
    {
      id: 'pid',
      format: 'dc+sd-jwt',
      meta: { vct_values: ['urn:eudi:pid:1'] },
      claims: [{ path: ['given_name'] }, { path: ['age_equal_or_over', '18'] }],
    },
  ],
}

async function newRequest(verifier: string, dcql: unknown = PID_QUERY): Promise<{ request: string; session: string }> {
  const r = await fetcher(`${verifier}/demo/request`, { method: 'POST', body: JSON.stringify(dcql) })
  return JSON.parse(utf8Decode(r.body))
}

async function result(verifier: string, session: string) {
  return JSON.parse(utf8Decode((await fetcher(`${verifier}/demo/result/${session}`)).body)) as { valid: boolean }
}

describe('bonafide wallet against bonafide issuer demo and verifier demo (real HTTP on 127.0.0.1)', () => {
  let issuer: Awaited<ReturnType<typeof startDemo>>
  let verifier: Awaited<ReturnType<typeof startDemo>>
  let dir = ''
  let env: Record<string, string> = {}
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-cli-wallet-'))
    issuer = await startDemo(['issuer', 'demo', '--port', '0'])
    const rootFile = join(dir, 'issuer-root.pem')
    await writeFile(rootFile, utf8Decode((await fetcher(`${issuer.started.issuer}/demo/trust-anchor.pem`)).body))
    verifier = await startDemo(['verifier', 'demo', '--port', '0', '--trust-anchor', rootFile])
    env = { BONAFIDE_WALLET: join(dir, 'wallet'), BONAFIDE_WALLET_PASSPHRASE: 'correct horse battery staple' }
  })
  afterAll(async () => {
    await issuer.stop()
    await verifier.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('receives a batch, answers a PID request ten times with ten different copies, lists and logs', async () => {
    const offer = issuer.started.offer as string
    const anchor = `${issuer.started.issuer}/demo/trust-anchor.pem`
    const rec = await cli(
      ['wallet', 'receive', offer, '--local', '--dpop', '--trust-anchor', anchor, '--count', '10', '--json'],
      {
        env,
      },
    )
    expect(rec.code).toBe(0)
    const received = JSON.parse(rec.out) as { pools: { unused: number; pool: { type: string } }[] }
    expect(received.pools.map((p) => [p.pool.type, p.unused])).toEqual([
      ['urn:eudi:pid:1', 10],
      ['eu.europa.ec.eudi.pid.1', 10],
    ])
    const human = await cli(['wallet', 'list', '--local'], { env })
    expect(human.out).toContain('10 unused')
    expect(human.out).toContain('given_name=Erika')
    const copies = new Set<string>()
    const verifierAnchor = `${verifier.started.verifier}/demo/trust-anchor.pem`
    for (let i = 0; i < 10; i++) {
      const { request, session } = await newRequest(verifier.started.verifier as string)
      const r = await cli(['wallet', 'present', request, '--yes', '--local', '--json', '--trust-anchor', verifierAnchor], { env })
      expect(r.code, r.err).toBe(0)
      const out = JSON.parse(r.out) as { outcome: string; used: { copyId: string }[]; redirectUri?: string }
      expect(out.outcome).toBe('accepted')
      copies.add(out.used[0]?.copyId as string)
      expect((await result(verifier.started.verifier as string, session)).valid).toBe(true)
    }
    expect(copies.size).toBe(10)
    const log = JSON.parse((await cli(['wallet', 'log', '--json'], { env })).out) as { outcome: string }[]
    expect(log).toHaveLength(10)
    expect(log.every((e) => e.outcome === 'accepted')).toBe(true)
    expect((await cli(['wallet', 'log'], { env })).out).toContain('urn:eudi:pid:1 from')
    // the issuer gave a refresh token: below 3 unused the pool was refilled without a new offer
    const pools = JSON.parse((await cli(['wallet', 'list', '--json'], { env })).out) as {
      unused: number
      pool: { type: string }
    }[]
    expect(pools.find((p) => p.pool.type === 'urn:eudi:pid:1')?.unused).toBe(10)
  })

  it('answers a Presentation Exchange request too (the verifier demo takes a presentation_definition body)', async () => {
    const definition = {
      id: 'pid-age',
      purpose: 'Age check',
      input_descriptors: [
        {
          id: 'pid',
          format: { 'dc+sd-jwt': {} },
          constraints: {
            limit_disclosure: 'required',
            fields: [
              { path: ['$.vct'], filter: { type: 'string', const: 'urn:eudi:pid:1' } },
              { path: ["$.age_equal_or_over['18']"] },
            ],
          },
        },
      ],
    }
    const created = await newRequest(verifier.started.verifier as string, definition)
    expect(created).toMatchObject({ request: expect.any(String) })
    const { request, session } = created
    const r = await cli(['wallet', 'present', request, '--yes', '--local'], { env })
    expect(r.code, r.err).toBe(0)
    expect(r.err).toContain('Presentation Exchange: pid-age — Age check')
    expect(r.out).toContain('The verifier accepted the presentation.')
    const res = await result(verifier.started.verifier as string, session)
    expect(res.valid, JSON.stringify(res)).toBe(true)
  })

  it('never prints the refresh token; a wrong passphrase is refused before any copy is used', async () => {
    const listed = (await cli(['wallet', 'list', '--json'], { env })).out
    expect(listed).not.toContain('refreshToken')
    expect(JSON.parse(listed)[0].pool.source.hasRefreshToken).toBe(true)
    const { request } = await newRequest(verifier.started.verifier as string)
    const wrong = await cli(['wallet', 'present', request, '--yes', '--local', '--json'], {
      env: { ...env, BONAFIDE_WALLET_PASSPHRASE: 'not it' },
    })
    expect(wrong.code).toBe(1)
    expect(JSON.parse(wrong.out)).toMatchObject({ error: { code: 'keys.passphrase_invalid' } })
    expect(JSON.parse((await cli(['wallet', 'list', '--json'], { env })).out)).toEqual(JSON.parse(listed))
  })

  it('usage and typed errors: no wallet dir, no passphrase, no terminal for consent, an unanswerable request', async () => {
    expect((await cli(['wallet', 'list'], { env: {} })).code).toBe(2)
    expect((await cli(['wallet', 'list'], { env: { BONAFIDE_WALLET: dir } })).err).toContain('BONAFIDE_WALLET_PASSPHRASE')
    const { request } = await newRequest(verifier.started.verifier as string)
    const noTty = await cli(['wallet', 'present', request, '--local'], { env })
    expect(noTty.code).toBe(2)
    expect(noTty.err).toContain('--yes')
    const other = await newRequest(verifier.started.verifier as string, {
      credentials: [{ id: 'x', format: 'dc+sd-jwt', meta: { vct_values: ['urn:nothing'] } }],
    })
    const none = await cli(['wallet', 'present', other.request, '--yes', '--local', '--json'], { env })
    expect(none.code).toBe(1)
    expect(JSON.parse(none.out)).toMatchObject({ error: { code: 'wallet.request_unsatisfiable' } })
  })

  // The consent prompt on a real terminal: the built CLI runs under script(1), which gives it a pty.
  const bin = resolve(import.meta.dirname, '../bin/bonafide.js')
  const built = existsSync(resolve(import.meta.dirname, '../dist/bin.js'))
  it.skipIf(!built)('asks for consent on a pseudo-terminal: "y" shares, "n" declines and uses no copy', async () => {
    const answer = async (reply: string) => {
      const { request, session } = await newRequest(verifier.started.verifier as string)
      const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} wallet present '${request}' --local`
      const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...process.env, ...env } })
      let out = ''
      let replied = false
      child.stdin.on('error', () => undefined) // the child may be gone before the pipe drains
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (!replied && out.includes('[y/N]')) {
          replied = true
          child.stdin.write(`${reply}\n`)
        }
      })
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
      return { code, out, session }
    }
    const before = JSON.parse((await cli(['wallet', 'list', '--json'], { env })).out) as { unused: number }[]
    const yes = await answer('y')
    expect(yes.out).toContain('asks for:')
    expect(yes.out).toContain('given_name = Erika')
    expect(yes.out).toContain('The verifier accepted the presentation.')
    expect(yes.code).toBe(0)
    expect((await result(verifier.started.verifier as string, yes.session)).valid).toBe(true)
    const no = await answer('n')
    expect(no.out).toContain('wallet.consent_declined')
    expect(no.code).toBe(1)
    const after = JSON.parse((await cli(['wallet', 'list', '--json'], { env })).out) as { unused: number }[]
    expect(after[0]?.unused).toBe((before[0]?.unused ?? 0) - 1)
  })
})
