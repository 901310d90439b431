// The cost of persistence: one whole pre-authorized issuance of a batch of 10 PID SD-JWT VCs — offer, token,
// nonce, credential (10 proofs verified, 10 credentials signed, 10 status indices, 10 records) — through the
// agent's HTTP app (in-process `app.request`, embedded PGlite and, when reachable, PostgreSQL on 127.0.0.1)
// vs the same library issuer on its in-memory store. Also: revoke one credential and re-publish its list.
// Run: npm install (builds) && node bench/agent.bench.mjs
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAgentContext, createApp, loadConfig } from '@bonafide/agent'
import { signCompactJws } from '@bonafide/jose'
import { createLocalSigner, generateKeyObject } from '@bonafide/keys'
import { createIssuer, MemoryIssuerStore, PROOF_TYP } from '@bonafide/openid4vci'
import { sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import pg from 'pg'
import { compare, fmt } from './lib.mjs'

const N = 10
const claims = {
  given_name: 'Erika',
  family_name: 'Mustermann',
  birthdate: '1964-08-12',
  nationalities: ['DE'],
  address: { street_address: 'Heidestraße 17', locality: 'Köln', postal_code: '51147', country: 'DE' },
  age_equal_or_over: { 18: true, 21: true, 65: false },
}
const holders = Array.from({ length: N }, (_, i) =>
  createLocalSigner(generateKeyObject('ES256'), { store: 'h', id: String(i) }, 'ES256'),
)
const form = (o) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(o),
})

/** One issuance through a Fetch-style handler; `offer()` returns the pre-authorized code. */
async function issueOnce(handle, base, offer) {
  const code = await offer()
  const tok = await (
    await handle(
      new Request(
        `${base}/token`,
        form({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }),
      ),
    )
  ).json()
  const nonce = (await (await handle(new Request(`${base}/nonce`, { method: 'POST' }))).json()).c_nonce
  const iat = Math.floor(Date.now() / 1000)
  const proofs = await Promise.all(
    holders.map((s) => signCompactJws({ typ: PROOF_TYP, jwk: { ...s.publicJwk } }, { aud: base, iat, nonce }, s)),
  )
  const r = await handle(
    new Request(`${base}/credential`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tok.access_token}` },
      body: JSON.stringify({ credential_configuration_id: 'pid_sd_jwt', proofs: { jwt: proofs } }),
    }),
  )
  const body = await r.json()
  if (body.credentials?.length !== N) throw new Error(`issuance failed: ${JSON.stringify(body).slice(0, 200)}`)
}

const codeOf = (link) =>
  JSON.parse(new URL(link.replace('openid-credential-offer://', 'https://x/')).searchParams.get('credential_offer')).grants[
    'urn:ietf:params:oauth:grant-type:pre-authorized_code'
  ]['pre-authorized_code']

async function agentCandidate(env) {
  const base = 'http://127.0.0.1:9'
  const ctx = await createAgentContext(
    loadConfig({ BONAFIDE_LOG: 'silent', BONAFIDE_KEK: 'd'.repeat(64), BONAFIDE_RATE_LIMIT: 'off', ...env }),
    base,
  )
  const app = createApp(ctx)
  const key = ctx.firstAdminKey
  const handle = (req) => app.request(req)
  const offer = async () => {
    const r = await app.request('/v1/offers', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ configurationIds: ['pid_sd_jwt'], claims }),
    })
    return codeOf((await r.json()).offer)
  }
  const revokeAndPublish = async () => {
    const [c] = (
      await (await app.request('/v1/credentials?status=valid&limit=1', { headers: { authorization: `Bearer ${key}` } })).json()
    ).items
    await app.request(`/v1/credentials/${c.id}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${key}` } })
    const list = await app.request(`/status/${c.statusListId}`)
    if (list.status !== 200) throw new Error('publish failed')
    await list.text()
  }
  return { run: () => issueOnce(handle, base, offer), revokeAndPublish, close: () => ctx.close() }
}

// The library issuer on its in-memory store, configured like the agent's pid_sd_jwt (x5c, every claim disclosable).
const signer = createLocalSigner(generateKeyObject('ES256'), { store: 'b', id: 'i' }, 'ES256')
let idx = 0
const memIssuer = createIssuer({
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
const memory = () =>
  issueOnce(
    (r) => memIssuer.handle(r),
    'https://issuer.example',
    async () => (await memIssuer.createOffer({ configurationIds: ['pid_sd_jwt'] })).preAuthorizedCode,
  )

const dir = mkdtempSync(join(tmpdir(), 'bonafide-bench-'))
const cands = { memory }
const lite = await agentCandidate({ BONAFIDE_DATA: dir })
cands.pglite = lite.run
let pgc
let dbName
const admin = 'postgres://postgres@127.0.0.1:5432/postgres'
try {
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  dbName = `bonafide_bench_${process.pid}`
  await c.query(`create database ${dbName}`)
  await c.end()
  pgc = await agentCandidate({ BONAFIDE_DATA: dir, DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}` })
  cands.postgres = pgc.run
} catch (e) {
  console.log(`PostgreSQL not reachable (${e.message}): measuring PGlite only`)
}

console.log(
  `Bonafide agent benchmark — node ${process.version}; one issuance = offer + token + nonce + credential (batch of ${N} dc+sd-jwt)`,
)
const r = await compare(cands, { rounds: 7, iterations: 8, warmup: 3 })
for (const [k, v] of Object.entries(r))
  console.log(`${k.padEnd(10)} ${(v.median / 1000).toFixed(1)} ms per issuance (spread ±${((v.spread * 100) / 2).toFixed(0)}%)`)
for (const k of ['pglite', 'postgres'])
  if (r[k])
    console.log(
      `agent on ${k} / library on memory: ${(r[k].median / r.memory.median).toFixed(2)}× the time (persistence, HTTP routing, records, events)`,
    )
const rv = await compare(
  Object.fromEntries([['pglite', lite.revokeAndPublish], ...(pgc ? [['postgres', pgc.revokeAndPublish]] : [])]),
  { rounds: 5, iterations: 5, warmup: 2 },
)
for (const [k, v] of Object.entries(rv)) console.log(`revoke one + re-sign its list (${k}): ${fmt(v)}`)

await lite.close()
if (pgc) {
  await pgc.close()
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  await c.query(`drop database if exists ${dbName} with (force)`)
  await c.end()
}
rmSync(dir, { recursive: true, force: true })
