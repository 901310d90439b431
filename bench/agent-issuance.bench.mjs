// The agent under load over loopback: pre-authorized offers, batches of 10 SD-JWT VCs, many concurrent wallets.
// Offers, tokens, nonces and proofs are prepared before timing; what is timed is the credential endpoint
// (10 proofs verified, 10 credentials signed, 10 status indices, 10 records and an event per batch).
//   in-process : the library issuer (memory store) handling the same requests, one after another, one core
//   embedded   : `bonafide serve` on PGlite (one process)
//   pg ×1, ×2  : `bonafide serve --workers 1|2` on PostgreSQL (127.0.0.1)
// Prints credentials/s, per core, p50/p99 per batch, and the ratios. Run: npm install && node bench/agent-issuance.bench.mjs
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signCompactJws } from '@bonafide/jose'
import { createLocalSigner, generateKeyObject } from '@bonafide/keys'
import { createIssuer, MemoryIssuerStore, PROOF_TYP } from '@bonafide/openid4vci'
import { sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { cpuSeconds, freePort, pgDatabase, pool } from './lib.mjs'

const BATCHES = Number(process.env.BENCH_BATCHES ?? 300)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
const ADMIN = `bfk_bench_${'z'.repeat(40)}`
const PRE = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'
const BIN = fileURLToPath(new URL('../apps/cli/bin/bonafide.js', import.meta.url))
const claims = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12', nationalities: ['DE'] }
const holders = Array.from({ length: 10 }, (_, i) =>
  createLocalSigner(generateKeyObject('ES256'), { store: 'h', id: `${i}` }, 'ES256'),
)
const form = (o) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(o),
})
const codeOf = (link) =>
  JSON.parse(new URL(link.replace('openid-credential-offer://', 'https://x/')).searchParams.get('credential_offer')).grants[PRE][
    'pre-authorized_code'
  ]

/** Token, nonce and the 10 proofs of one issuance (untimed); returns the timed credential request. */
async function prepare(handle, issuer, code) {
  const tok = await (await handle(new Request(`${issuer}/token`, form({ grant_type: PRE, 'pre-authorized_code': code })))).json()
  const nonce = (await (await handle(new Request(`${issuer}/nonce`, { method: 'POST' }))).json()).c_nonce
  const iat = Math.floor(Date.now() / 1000)
  const proofs = await Promise.all(
    holders.map((s) => signCompactJws({ typ: PROOF_TYP, jwk: { ...s.publicJwk } }, { aud: issuer, iat, nonce }, s)),
  )
  const body = JSON.stringify({ credential_configuration_id: 'pid_sd_jwt', proofs: { jwt: proofs } })
  return () =>
    new Request(`${issuer}/credential`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tok.access_token}` },
      body,
    })
}

/** Time the prepared credential requests at `concurrency`; credentials/s and batch latency percentiles. */
async function run(handle, requests, concurrency, pid) {
  const lat = []
  const cpu0 = pid ? await cpuSeconds(pid) : null
  const own0 = process.cpuUsage()
  const t0 = performance.now()
  await pool(requests.length, concurrency, async (i) => {
    const s = performance.now()
    const r = await handle(requests[i]())
    const b = await r.json()
    if (b.credentials?.length !== 10) throw new Error(`issuance failed: ${JSON.stringify(b).slice(0, 160)}`)
    lat.push(performance.now() - s)
  })
  const secs = (performance.now() - t0) / 1000
  const own = process.cpuUsage(own0)
  const cpu1 = pid ? await cpuSeconds(pid) : null
  lat.sort((a, b) => a - b)
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]
  const n = requests.length * 10
  // CPU seconds spent serving: the agent's process tree (or this process, in process), and PostgreSQL's backends
  const agentCpu = cpu1 ? cpu1.agent - cpu0.agent : (own.user + own.system) / 1e6
  const pgCpu = cpu1 ? cpu1.postgres - cpu0.postgres : 0
  return { perSecond: n / secs, perCpuSecond: n / agentCpu, perCpuWithDb: n / (agentCpu + pgCpu), p50: pct(0.5), p99: pct(0.99) }
}

async function inProcess() {
  const signer = createLocalSigner(generateKeyObject('ES256'), { store: 'b', id: 'i' }, 'ES256')
  let idx = 0
  const issuer = createIssuer({
    issuer: 'https://issuer.example',
    store: new MemoryIssuerStore(),
    formats: [sdJwtVcFormat({ signer, disclosable: (_id, c) => Object.keys(c).map((k) => [k]) })],
    configurations: { pid_sd_jwt: { format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1' } },
    batchSize: 10,
    claims: () => claims,
    statusAllocator: {
      allocate: async (n) => Array.from({ length: n }, () => ({ uri: 'https://issuer.example/status/1', idx: idx++ })),
    },
  })
  const handle = (r) => issuer.handle(r)
  const reqs = []
  for (let i = 0; i < BATCHES; i++)
    reqs.push(
      await prepare(
        handle,
        'https://issuer.example',
        (await issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })).preAuthorizedCode,
      ),
    )
  await run(handle, reqs.slice(0, 20), 1) // warm-up
  return run(handle, reqs.slice(20), 1)
}

async function agent(env, args) {
  const port = await freePort()
  // BENCH_AGENT_NODE_ARGS (e.g. --cpu-prof): node flags for the agent processes
  const nodeArgs = process.env.BENCH_AGENT_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', String(port), ...args], {
    env: {
      ...process.env,
      BONAFIDE_LOG: 'silent',
      BONAFIDE_ADMIN_KEY: ADMIN,
      BONAFIDE_RATE_LIMIT: 'off',
      BONAFIDE_KEK: '7'.repeat(64),
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
  const handle = (r) => fetch(r)
  const reqs = []
  await pool(BATCHES, 16, async (i) => {
    const r = await fetch(`${base}/v1/offers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ configurationIds: ['pid_sd_jwt'], claims }),
    })
    reqs[i] = await prepare(handle, base, codeOf((await r.json()).offer))
  })
  await run(handle, reqs.slice(0, 20), CONCURRENCY) // warm-up
  const result = await run(handle, reqs.slice(20), CONCURRENCY, child.pid)
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  return result
}

const fmt = (r) =>
  `${r.perSecond.toFixed(0).padStart(6)} credentials/s   p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms per batch of 10   ` +
  `${r.perCpuSecond.toFixed(0)} per agent CPU-second, ${r.perCpuWithDb.toFixed(0)} counting PostgreSQL's`
console.log(
  `Agent issuance under load — node ${process.version}, ${availableParallelism()} cores, ${BATCHES - 20} batches of 10, ${CONCURRENCY} concurrent wallets`,
)
const mem = await inProcess()
console.log(`in-process library (memory, 1 core) ${fmt(mem)}`)
const dir = mkdtempSync(join(tmpdir(), 'bonafide-bench-'))
try {
  const embedded = await agent({ BONAFIDE_DATA: join(dir, 'lite') }, [])
  console.log(`agent, embedded PGlite (1 process)  ${fmt(embedded)}`)
  const results = { embedded }
  for (const w of [1, 2]) {
    const db = await pgDatabase()
    try {
      results[`pg${w}`] = await agent({ DATABASE_URL: db.url, BONAFIDE_DATA: join(dir, `pg${w}`) }, ['--workers', String(w)])
      console.log(`agent, PostgreSQL --workers ${w}        ${fmt(results[`pg${w}`])}`)
    } finally {
      await db.drop()
    }
  }
  const perCore = (r, n) => r.perSecond / n / mem.perSecond
  console.log(
    `per core vs in-process: embedded ${perCore(results.embedded, 1).toFixed(2)}×, PostgreSQL ×1 ${perCore(results.pg1, 1).toFixed(2)}×, ×2 ${perCore(results.pg2, 2).toFixed(2)}× (target ≥ 0.6×)`,
  )
  const perCpu = (r) => (r.perCpuSecond / mem.perCpuSecond).toFixed(2)
  console.log(
    `per core, as credentials per CPU-second of the agent vs in-process: embedded ${perCpu(results.embedded)}×, PostgreSQL ×1 ${perCpu(results.pg1)}×, ×2 ${perCpu(results.pg2)}× (target ≥ 0.6×)`,
  )
  const withDb = (r) => (r.perCpuWithDb / mem.perCpuSecond).toFixed(2)
  console.log(`the same counting PostgreSQL's CPU as the agent's: ×1 ${withDb(results.pg1)}×, ×2 ${withDb(results.pg2)}×`)
  console.log(
    `--workers 2 / --workers 1: ${(results.pg2.perSecond / results.pg1.perSecond).toFixed(2)}× (target ≥ 1.6×; this machine has ${availableParallelism()} cores shared with PostgreSQL and the load generator)`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
