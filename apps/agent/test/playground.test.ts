/**
 * The batch playground (POST /v1/playground/runs) against a real agent over loopback HTTP: the agent as a wallet
 * against its own issuer, proofs.jwt arrays and key attestations (OpenID4VCI 1.0 §8.2 batch, Appendix D.1 key
 * attestations), capped by the configuration's batch_size; and the console's newest-first credential list.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/env.js'
import { type RunningAgent, startAgent } from '../src/server.js'

describe('batch playground', () => {
  let agent: RunningAgent
  let dir: string
  const call = async (path: string, body?: unknown) => {
    const r = await fetch(`${agent.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${agent.ctx.firstAdminKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: r.status, json: (await r.json()) as any }
  }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-playground-'))
    agent = await startAgent(loadConfig({ PORT: '0', BONAFIDE_DATA: dir, BONAFIDE_KEK: 'e'.repeat(64), BONAFIDE_LOG: 'silent' }))
  })
  afterAll(async () => {
    await agent?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('OpenID4VCI 1.0 §8.2: a proofs.jwt array costs one wallet signature per credential, at most batch_size', async () => {
    const r = await call('/v1/playground/runs', { holderKeys: 5, batchSize: 3, proofs: 'jwt' })
    expect(r.status, JSON.stringify(r.json)).toBe(200)
    expect(r.json.counters).toEqual({
      holderKeys: 5,
      batchSize: 3,
      proofsSent: 3,
      walletSignatures: 3,
      keysAttested: 0,
      credentials: 3,
      keysWasted: 0,
    })
    expect(r.json.artifacts.filter((a: { kind: string }) => a.kind === 'proof')).toHaveLength(3)
    expect(r.json.audit.verdict).toBe('unlinkable')
  })

  it('OpenID4VCI 1.0 Appendix D.1: one proof with a key attestation of N=5 keys, batch_size 3 → 3 credentials, 1 signature, 2 wasted keys', async () => {
    for (const profile of ['openid4vci', 'ts3']) {
      const r = await call('/v1/playground/runs', { holderKeys: 5, batchSize: 3, proofs: 'key_attestation', profile })
      expect(r.status, JSON.stringify(r.json)).toBe(200)
      expect(r.json.counters).toMatchObject({
        credentials: 3,
        walletSignatures: 1,
        keysAttested: 5,
        keysWasted: 2,
        proofsSent: 1,
      })
      expect(r.json.wastedKeys).toHaveLength(2)
      const att = r.json.artifacts.find((a: { kind: string }) => a.kind === 'key_attestation')
      const header = JSON.parse(Buffer.from(att.encoded.split('.')[0], 'base64url').toString())
      expect(header.typ).toBe(profile === 'ts3' ? 'keyattestation+jwt' : 'key-attestation+jwt')
      expect(header.x5c).toHaveLength(1)
      expect(r.json.audit.verdict).toBe('unlinkable')
    }
  })

  it('N below batch_size: every key is bound, nothing is wasted', async () => {
    const r = await call('/v1/playground/runs', { holderKeys: 2, batchSize: 4, proofs: 'key_attestation' })
    expect(r.json.counters).toMatchObject({ credentials: 2, keysWasted: 0, walletSignatures: 1 })
  })

  it('refuses bad runs with a problem and stable code (nothing issued)', async () => {
    const before = (await call('/v1/credentials?limit=1000')).json.items.length
    for (const body of [
      { holderKeys: 0, batchSize: 3, proofs: 'jwt' },
      { holderKeys: 5, batchSize: 11, proofs: 'jwt' },
      { holderKeys: 5, batchSize: 3, proofs: 'x' },
      { holderKeys: 5, batchSize: 3, proofs: 'jwt', extra: 1 },
    ]) {
      const r = await call('/v1/playground/runs', body)
      expect([r.status, r.json.code]).toEqual([400, 'agent.body_invalid'])
    }
    expect((await call('/v1/credentials?limit=1000')).json.items.length).toBe(before)
  })

  it('BONAFIDE_PLAYGROUND=false turns the playground off (404 agent.playground_disabled, nothing issued)', async () => {
    const off = await startAgent(
      loadConfig({
        PORT: '0',
        BONAFIDE_DATA: join(dir, 'off'),
        BONAFIDE_KEK: 'e'.repeat(64),
        BONAFIDE_LOG: 'silent',
        BONAFIDE_PLAYGROUND: 'false',
      }),
    )
    try {
      const r = await fetch(`${off.url}/v1/playground/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${off.ctx.firstAdminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ holderKeys: 2, batchSize: 2, proofs: 'jwt' }),
      })
      expect([r.status, ((await r.json()) as { code: string }).code]).toEqual([404, 'agent.playground_disabled'])
      expect((await off.ctx.credentials.list({})).items).toEqual([])
    } finally {
      await off.close()
    }
  })

  it('GET /v1/credentials lists newest first, and its cursor pages without gaps or repeats', async () => {
    const all = (await call('/v1/credentials?limit=1000')).json.items as { id: string; issuedAt: number }[]
    expect(all.length).toBeGreaterThanOrEqual(10)
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.issuedAt).toBeGreaterThanOrEqual(all[i]!.issuedAt)
    const seen: string[] = []
    let next: string | null = null
    do {
      const page: { json: { items: { id: string }[]; next: string | null } } = await call(
        `/v1/credentials?limit=3${next ? `&after=${next}` : ''}`,
      )
      seen.push(...page.json.items.map((x) => x.id))
      next = page.json.next
    } while (next)
    expect(seen).toEqual(all.map((x) => x.id))
    expect((await call('/v1/credentials?after=bm9wZQ')).json.code).toBe('agent.cursor_invalid')
  })
})

describe('GET /v1/batches/{id}/audit', () => {
  let agent: RunningAgent
  let dir: string
  const get = async (path: string) => {
    const r = await fetch(`${agent.url}${path}`, { headers: { authorization: `Bearer ${agent.ctx.firstAdminKey}` } })
    return { status: r.status, json: (await r.json()) as any }
  }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-audit-'))
    agent = await startAgent(loadConfig({ PORT: '0', BONAFIDE_DATA: dir, BONAFIDE_KEK: 'f'.repeat(64), BONAFIDE_LOG: 'silent' }))
  })
  afterAll(async () => {
    await agent?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it("RFC 9901 §10.1 / OpenID4VCI 1.0 §15.4.1: the agent's own batches pass the audit of their records; an unknown batch is 404", async () => {
    const r = await agent.ctx.playground.run({ holderKeys: 4, batchSize: 4, proofs: 'jwt' })
    expect(r.counters.credentials).toBe(4)
    const batchId = (await get('/v1/credentials?limit=1')).json.items[0].batchId
    const audit = await get(`/v1/batches/${batchId}/audit`)
    expect(audit.status).toBe(200)
    expect(audit.json).toMatchObject({ batchId, verdict: 'unlinkable', copies: 4, format: 'records' })
    expect(audit.json.findings.filter((f: { severity: string }) => f.severity === 'high' || f.severity === 'medium')).toEqual([])
    expect((await get('/v1/batches/nope/audit')).json.code).toBe('agent.not_found')
  })
})
