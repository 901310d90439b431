/**
 * Several identical agents on one PostgreSQL, each its own process on a loopback port, all under one public URL
 * (what a load balancer gives them): single-use steps are atomic in SQL whichever instance a request reaches.
 * Specs: OpenID4VCI 1.0 §6 (pre-authorized code used once), OpenID4VP 1.0 §8.2 (a response, once).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSafeFetcher, type Fetcher } from '@bonafide/core'
import { MemoryKeyStore } from '@bonafide/keys'
import { MemoryWalletStore, sdJwtVcWalletFormat, Wallet } from '@bonafide/wallet'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgDatabase } from '../../agent/test/databases.js'
import { api, form, freePort, type Instance, issueAcross, PRE_AUTH, pool, preAuthCode, startInstance } from './instances.js'

const PID = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1984-01-26', nationalities: ['DE'] }

describe('three agents on one PostgreSQL', () => {
  const instances: Instance[] = []
  let dir = ''
  let db = ''
  let issuer = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-3-'))
    db = await createPgDatabase()
    const ports = [await freePort(), await freePort(), await freePort()]
    issuer = `http://127.0.0.1:${ports[0]}`
    const env = { DATABASE_URL: db, BONAFIDE_PUBLIC_URL: issuer, BONAFIDE_KEK: '9'.repeat(64), BONAFIDE_DATA: dir }
    instances.push(await startInstance(ports[0] as number, env)) // the first prepares the database
    instances.push(...(await Promise.all(ports.slice(1).map((p) => startInstance(p, env)))))
  }, 60_000)
  afterAll(async () => {
    for (const i of instances) i.child.kill('SIGTERM')
    await Promise.all(instances.map((i) => i.exited))
    await rm(dir, { recursive: true, force: true })
  })
  const origins = () => instances.map((i) => i.origin)

  it('OpenID4VCI §6: one pre-authorized code redeemed concurrently through all three (three times each): exactly one wins', async () => {
    const offer = (await api(origins()[1] as string, '/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID })).json.offer
    const code = preAuthCode(offer)
    const tries = [...origins(), ...origins(), ...origins()].map((o) =>
      fetch(`${o}/token`, form({ grant_type: PRE_AUTH, 'pre-authorized_code': code })).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error?: string },
      })),
    )
    const results = await Promise.all(tries)
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.error === 'invalid_grant')).toBe(true)
  })

  it('5,000 credentials in batches of 10, each step of each issuance at another instance: no status index twice, every credential has its record, no session left issuing', async () => {
    const o = origins()
    const offers = await pool(Array.from({ length: 500 }), 20, async (_, i) => {
      const r = await api(o[i % 3] as string, '/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID })
      return r.json.offer as string
    })
    const creds = await pool(offers, 24, (offer, i) =>
      issueAcross(issuer, [o[i % 3], o[(i + 1) % 3], o[(i + 2) % 3]] as string[], offer),
    )
    expect(creds.flat()).toHaveLength(5000)
    expect(new Set(creds.flat()).size).toBe(5000)
    const c = new pg.Client({ connectionString: db })
    await c.connect()
    try {
      const n = await c.query(
        `select count(*)::int as n, count(distinct (status_list_id, status_index))::int as idx from issued_credentials`,
      )
      expect(n.rows[0]).toEqual({ n: 5000, idx: 5000 })
      const states = await c.query(`select state, count(*)::int as n from issuance_sessions group by state order by state`)
      expect(states.rows).toEqual([
        { state: 'credentials_issued', n: 500 },
        { state: 'token_issued', n: 1 }, // the offer of the concurrency test: redeemed, never asked for credentials
      ])
    } finally {
      await c.end()
    }
  }, 120_000)

  it('OpenID4VP §8.2: a response posted to another instance than the one that made the session is handled; a replay to the third is refused', async () => {
    const [a, b, c] = origins() as [string, string, string]
    const anchor = await (await fetch(`${a}/trust-anchor.pem`)).text()
    const base = createSafeFetcher({ allowHttp: true, allowLoopback: true })
    let posted: { path: string; body: string } | undefined
    // every request goes to the public URL (instance A), except the response, which goes to B
    const fetcher: Fetcher = async (url, req) => {
      const u = new URL(url)
      if (req?.method === 'POST' && u.pathname.endsWith('/response') && typeof req.body === 'string') {
        posted = { path: u.pathname, body: req.body }
        return base(`${b}${u.pathname}`, req)
      }
      return base(url, req)
    }
    const wallet = new Wallet({
      store: new MemoryWalletStore(),
      keyStore: new MemoryKeyStore(),
      fetcher,
      formats: [sdJwtVcWalletFormat({ issuerKeys: { trustAnchors: [anchor] } })],
      verifierTrustAnchors: [anchor],
    })
    const offer = (await api(c, '/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID })).json.offer
    await wallet.receiveOffer(offer, { count: 2 })
    const dcql = {
      credentials: [
        { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ path: ['family_name'] }] },
      ],
    }
    const s = (await api(a, '/v1/presentation-sessions', { dcql })).json
    const r = await wallet.present(s.request, { consent: (p) => p.selection, refill: false })
    expect(r.outcome).toBe('accepted')
    expect((await api(c, `/v1/presentation-sessions/${s.id}`)).json).toMatchObject({ state: 'verified', valid: true })
    const replay = await fetch(`${c}${posted?.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: posted?.body ?? '',
    })
    expect(replay.status).toBe(400)
    expect((await api(b, `/v1/presentation-sessions/${s.id}`)).json).toMatchObject({ state: 'verified', valid: true })
  })
})
