// Verification sessions completed per second over loopback: the verifier's API creates a session, the wallet
// fetches the request (request_uri), answers it (direct_post: one SD-JWT VC with its KB-JWT), the verifier
// reads the result. Wallets are library wallets in this process, filled with copies before timing.
//   embedded: `bonafide serve` on PGlite;  pg ×1, ×2: `bonafide serve --workers 1|2` on PostgreSQL.
// Run: npm install && node bench/agent-verification.bench.mjs
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSafeFetcher } from '@bonafide/core'
import { MemoryKeyStore } from '@bonafide/keys'
import { MemoryWalletStore, sdJwtVcWalletFormat, Wallet } from '@bonafide/wallet'
import { freePort, pgDatabase, pool } from './lib.mjs'

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const ADMIN = `bfk_bench_${'v'.repeat(40)}`
const BIN = fileURLToPath(new URL('../apps/cli/bin/bonafide.js', import.meta.url))
const claims = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12', nationalities: ['DE'] }
const dcql = {
  credentials: [
    { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ path: ['family_name'] }] },
  ],
}

async function call(base, path, body) {
  const r = await fetch(`${base}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return r.json()
}

async function run(env, args) {
  const port = await freePort()
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...args], {
    env: {
      ...process.env,
      BONAFIDE_LOG: 'silent',
      BONAFIDE_ADMIN_KEY: ADMIN,
      BONAFIDE_RATE_LIMIT: 'off',
      BONAFIDE_KEK: '5'.repeat(64),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (d) => {
    out += d
  })
  while (!out.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`agent exited: ${out}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  const base = `http://127.0.0.1:${port}`
  try {
    const anchor = await (await fetch(`${base}/trust-anchor.pem`)).text()
    const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
    // one wallet per concurrent holder, each with enough copies (untimed)
    const wallets = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const w = new Wallet({
          store: new MemoryWalletStore(),
          keyStore: new MemoryKeyStore(),
          fetcher,
          formats: [sdJwtVcWalletFormat({ issuerKeys: { trustAnchors: [anchor] } })],
          verifierTrustAnchors: [anchor],
          policy: { maxUses: 1, minUnused: 0 },
        })
        const copies = Math.ceil(SESSIONS / CONCURRENCY) + 2
        for (let got = 0; got < copies; got += 10)
          await w.receiveOffer((await call(base, '/v1/offers', { configurationIds: ['pid_sd_jwt'], claims })).offer, {
            count: 10,
          })
        return w
      }),
    )
    const lat = []
    const t0 = performance.now()
    await pool(SESSIONS, CONCURRENCY, async (i) => {
      const s0 = performance.now()
      const s = await call(base, '/v1/presentation-sessions', { dcql })
      await wallets[i % CONCURRENCY].present(s.request, { consent: (p) => p.selection, refill: false })
      const r = await call(base, `/v1/presentation-sessions/${s.id}`)
      if (r.state !== 'verified') throw new Error(`session ${r.state}: ${JSON.stringify(r.error)}`)
      lat.push(performance.now() - s0)
    })
    const secs = (performance.now() - t0) / 1000
    lat.sort((a, b) => a - b)
    return {
      perSecond: SESSIONS / secs,
      p50: lat[Math.floor(lat.length / 2)],
      p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))],
    }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
}

const fmt = (r) => `${r.perSecond.toFixed(1).padStart(7)} sessions/s   p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`
console.log(
  `Verification sessions over loopback — node ${process.version}, ${availableParallelism()} cores, ${SESSIONS} sessions, ${CONCURRENCY} concurrent wallets (create → fetch → answer → result)`,
)
const dir = mkdtempSync(join(tmpdir(), 'bonafide-vbench-'))
try {
  const embedded = await run({ BONAFIDE_DATA: join(dir, 'lite') }, [])
  console.log(`agent, embedded PGlite         ${fmt(embedded)}`)
  const r = {}
  for (const w of [1, 2]) {
    const db = await pgDatabase('bonafide_vbench')
    try {
      r[w] = await run({ DATABASE_URL: db.url, BONAFIDE_DATA: join(dir, `pg${w}`) }, ['--workers', String(w)])
      console.log(`agent, PostgreSQL --workers ${w}  ${fmt(r[w])}`)
    } finally {
      await db.drop()
    }
  }
  console.log(
    `--workers 2 / --workers 1: ${(r[2].perSecond / r[1].perSecond).toFixed(2)}× (the wallets run in this process, on the same ${availableParallelism()} cores)`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
