/**
 * Operations through a running agent: a full loop (offer with tx code → holder → verifier → revoke) whose JSON
 * logs carry no claim value, code, token or key; Prometheus counters of it; Idempotency-Key on POST; rate limits
 * on the public protocol endpoints (RFC 6585 429 with Retry-After).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/env.js'
import { type RunningAgent, startAgent } from '../src/server.js'
import { verifyWebhookSignature } from '../src/services/webhook-signature.js'

const PID = { given_name: 'Zebulon', family_name: 'Quackenbush', birthdate: '1971-03-09', nationalities: ['NL'] }
const DCQL = {
  credentials: [
    {
      id: 'pid',
      format: 'dc+sd-jwt',
      meta: { vct_values: ['urn:eudi:pid:1'] },
      claims: [{ path: ['given_name'] }, { path: ['birthdate'] }],
    },
  ],
}

describe('operations of a running agent', () => {
  let agent: RunningAgent
  let dir = ''
  let key = ''
  const lines: string[] = []
  const call = async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${agent.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await r.text()
    return {
      status: r.status,
      headers: r.headers,
      json: text && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-ops-'))
    const env = {
      PORT: '0',
      BONAFIDE_DATA: dir,
      BONAFIDE_KEK: 'f'.repeat(64),
      BONAFIDE_LOG: 'debug',
      BONAFIDE_RATE_LIMIT: '40/1',
    }
    agent = await startAgent(loadConfig(env), { logDestination: { write: (l: string) => lines.push(l) } })
    key = agent.ctx.firstAdminKey as string
  })
  afterAll(async () => {
    await agent?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('a full loop logs one JSON line per request with a request id, and never a claim value, code, token or key', async () => {
    const offer = await call('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID, txCode: true })
    expect(offer.status).toBe(201)
    const received = await call('/v1/holder/offers', { offer: offer.json.offer, txCode: offer.json.txCode })
    expect(received.status, JSON.stringify(received.json)).toBe(201)
    const s = await call('/v1/presentation-sessions', { dcql: DCQL })
    const plan = await call('/v1/holder/requests', { request: s.json.request })
    const answered = await call(`/v1/holder/requests/${plan.json.id}/respond`, {
      consent: true,
      selection: plan.json.plan.selection,
    })
    expect(answered.json.outcome).toBe('accepted')
    const result = await call(`/v1/presentation-sessions/${s.json.id}`)
    expect(result.json.credentials[0].claims[0]).toMatchObject({ given_name: 'Zebulon' })
    await call(`/v1/presentation-sessions/${s.json.id}/accept`, {})
    const creds = await call(`/v1/credentials?session=${offer.json.sessionId}`)
    await call(`/v1/batches/${creds.json.items[0].batchId}/revoke`, {})
    const bad = await fetch(`${agent.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'trace-42' },
      body: `grant_type=urn:ietf:params:oauth:grant-type:pre-authorized_code&pre-authorized_code=leakycode123&tx_code=${offer.json.txCode}`,
    })
    expect(bad.headers.get('x-request-id')).toBe('trace-42')

    const log = lines.join('')
    const parsed = lines.flatMap((l) => l.split('\n').filter(Boolean)).map((l) => JSON.parse(l))
    const requests = parsed.filter((l) => typeof l.route === 'string' && typeof l.status === 'number')
    expect(requests.length).toBeGreaterThan(10)
    expect(requests.every((l) => typeof l.reqId === 'string' && typeof l.ms === 'number')).toBe(true)
    expect(requests.some((l) => l.reqId === 'trace-42')).toBe(true)
    const preAuth = new URL(
      decodeURIComponent(offer.json.offer).replace(/^openid-credential-offer:\/\/\?credential_offer=/, 'https://x/?o='),
    )
    const secrets = [
      ...Object.values(PID)
        .flat()
        .filter((v) => v.length > 2), // a two-letter country code occurs in any text
      offer.json.txCode,
      key,
      key.slice(4, 20), // the key id part is not secret, but the whole key never appears either
      'leakycode123',
      String(preAuth.searchParams.get('o')).match(/"pre-authorized_code":"([^"]+)"/)?.[1] ?? 'no-code',
      s.json.request,
    ]
    for (const v of secrets) expect(log, `the log contains ${v}`).not.toContain(String(v))
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/) // no JWT, SD-JWT, KB-JWT, access or DPoP token
  })

  it('webhooks by API: every event of an issuance and a revocation arrives once, signed; the delivery log and redelivery by API', async () => {
    const got: { headers: Record<string, string>; body: string }[] = []
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => {
        body += c
      })
      req.on('end', () => {
        got.push({ headers: req.headers as Record<string, string>, body })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`
      const w = await call('/v1/webhooks', {
        url,
        eventTypes: ['issuance.offered', 'issuance.offer_redeemed', 'issuance.credentials_issued', 'credential.revoked'],
      })
      expect(w.status).toBe(201)
      expect((await call('/v1/webhooks', { url: 'http://example.com/x', eventTypes: ['*'] })).json.code).toBe(
        'agent.webhook_url_invalid',
      )
      expect((await call('/v1/webhooks', { url, eventTypes: ['no.such_event'] })).json.code).toBe('agent.body_invalid')
      // events about webhooks are recorded, never delivered (a failing webhook must not feed another)
      expect((await call('/v1/webhooks', { url, eventTypes: ['webhook.dead_lettered'] })).json.code).toBe('agent.body_invalid')
      const offer = await call('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID })
      await call('/v1/holder/offers', { offer: offer.json.offer })
      const creds = await call(`/v1/credentials?session=${offer.json.sessionId}`)
      await call(`/v1/credentials/${creds.json.items[0].id}/revoke`, {})
      const until = Date.now() + 10_000
      while (got.length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 100))
      const types = got.map((g) => JSON.parse(g.body).type)
      expect(types.sort()).toEqual([
        'credential.revoked',
        'issuance.credentials_issued',
        'issuance.offer_redeemed',
        'issuance.offered',
      ])
      for (const g of got) expect(verifyWebhookSignature({ secret: w.json.secret, headers: g.headers, body: g.body })).toBe(true)
      expect(got.map((g) => g.body).join('')).not.toContain('Zebulon')
      const log = await call(`/v1/webhooks/${w.json.id}/deliveries`)
      expect(log.json.items.map((d: any) => d.state)).toEqual(['delivered', 'delivered', 'delivered', 'delivered'])
      expect(JSON.stringify((await call('/v1/webhooks')).json)).not.toContain(w.json.secret)
      const again = await call(`/v1/webhook-deliveries/${log.json.items[0].id}/redeliver`, {})
      expect(again.status).toBe(200)
      while (got.length < 5 && Date.now() < until + 5000) await new Promise((r) => setTimeout(r, 100))
      expect(got).toHaveLength(5)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })

  it('GET /metrics: requests by route pattern and status, credentials issued by format and batch size, verifications by result, webhook backlog', async () => {
    const m = await (await fetch(`${agent.url}/metrics`)).text()
    expect(m).toMatch(/http_requests_total\{method="POST",route="\/v1\/offers",status="201"\} \d+/)
    expect(m).toMatch(/http_requests_total\{method="GET",route="\/v1\/presentation-sessions\/:id",status="200"\} \d+/)
    expect(m).toMatch(/credentials_issued_total\{format="dc\+sd-jwt",batch_size="10"\} [1-9]\d*/)
    expect(m).toMatch(/verifications_total\{result="verified"\} 1/)
    expect(m).toMatch(/webhook_backlog \d+/)
    expect(m).not.toContain('leakycode123')
  })

  it('Idempotency-Key: the same key and body replays the first response; the same key with another body is 422', async () => {
    const body = { configurationIds: ['pid_sd_jwt'], claims: PID }
    const h = { 'idempotency-key': 'order-7781' }
    const first = await call('/v1/offers', body, h)
    const again = await call('/v1/offers', body, h)
    expect(first.status).toBe(201)
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 'true'])
    expect(again.json.sessionId).toBe(first.json.sessionId)
    const sessions = await call('/v1/issuance-sessions?limit=1000')
    expect(sessions.json.items.filter((x: any) => x.id === first.json.sessionId)).toHaveLength(1)
    const other = await call('/v1/offers', { ...body, expiresInSeconds: 60 }, h)
    expect([other.status, other.json.code, other.headers.get('content-type')]).toEqual([
      422,
      'agent.idempotency_key_reused',
      'application/problem+json',
    ])
    const stored = JSON.stringify(await agent.ctx.database.db.selectFrom('idempotency_keys').selectAll().execute())
    expect(stored).not.toContain(first.json.offer) // replays are sealed under the KEK
  })

  it('public protocol endpoints are rate limited per client: 429 with Retry-After and an OAuth-style body', async () => {
    const statuses: Response[] = []
    for (let i = 0; i < 45; i++) statuses.push(await fetch(`${agent.url}/nonce`, { method: 'POST' }))
    const limited = statuses.filter((r) => r.status === 429)
    expect(limited.length).toBeGreaterThan(0)
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await limited[0]?.json()).toMatchObject({ error: 'temporarily_unavailable' })
    // the API under /v1 is not limited by it
    expect((await call('/v1/credential-configurations')).status).toBe(200)
  })
})

describe('graceful shutdown (SIGTERM)', () => {
  it('requests in flight finish, event streams end cleanly, new connections are refused, then the database closes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bonafide-stop-'))
    const agent = await startAgent(
      loadConfig({ PORT: '0', BONAFIDE_DATA: dir, BONAFIDE_KEK: 'f'.repeat(64), BONAFIDE_LOG: 'silent' }),
    )
    try {
      const key = agent.ctx.firstAdminKey as string
      const h = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
      const stream = await fetch(`${agent.url}/v1/events/stream`, { headers: h })
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader()
      // a request whose body arrives slowly is in flight while the agent is told to stop
      const body = new TextEncoder().encode(JSON.stringify({ configurationIds: ['pid_sd_jwt'], claims: PID }))
      const slow = new ReadableStream<Uint8Array>({
        async start(c) {
          c.enqueue(body.subarray(0, 10))
          await new Promise((r) => setTimeout(r, 400))
          c.enqueue(body.subarray(10))
          c.close()
        },
      })
      const inflight = fetch(`${agent.url}/v1/offers`, { method: 'POST', headers: h, body: slow, duplex: 'half' } as RequestInit)
      await new Promise((r) => setTimeout(r, 100))
      const started = Date.now()
      await agent.close({ graceMs: 20_000 })
      expect(Date.now() - started).toBeLessThan(20_000) // nothing had to be cut
      const res = await inflight
      expect(res.status).toBe(201)
      expect(((await res.json()) as { offer: string }).offer).toMatch(/^openid-credential-offer:/)
      for (;;) if ((await reader.read()).done) break // the stream ended, not reset
      await expect(fetch(`${agent.url}/health/live`)).rejects.toThrow()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
