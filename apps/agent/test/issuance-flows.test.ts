/**
 * Issuance flows through a running agent, over real loopback HTTP, driven by the library's wallet
 * client: authorization code from an offer, tx_code, operator approval (deferred) and offer expiry.
 * Spec: OpenID4VCI 1.0 (../shared/specs/openid-4-verifiable-credential-issuance-1_0.md).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Clock, createSafeFetcher, FakeClock, utf8Decode } from '@bonafide/core'
import { MemoryKeyStore } from '@bonafide/keys'
import { type ResolvedIssuer, WalletClient } from '@bonafide/openid4vci'
import { sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/env.js'
import { type RunningAgent, startAgent } from '../src/server.js'

const PID = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12', nationalities: ['DE'] }
const PRE_AUTH_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'
const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })

interface Harness {
  agent: RunningAgent
  dir: string
  key: string
  anchor: string
}

async function start(o: { clock?: Clock } = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'bonafide-agent-flows-'))
  try {
    const agent = await startAgent(
      loadConfig({ PORT: '0', BONAFIDE_DATA: dir, BONAFIDE_KEK: 'c'.repeat(64), BONAFIDE_LOG: 'silent' }),
      o.clock ? { clock: o.clock } : {},
    )
    const key = agent.ctx.firstAdminKey as string
    expect(key).toBeTypeOf('string')
    const res = await fetch(`${agent.url}/trust-anchor.pem`)
    expect(res.status).toBe(200)
    const anchor = await res.text()
    expect(anchor).toContain('BEGIN CERTIFICATE')
    return { agent, dir, key, anchor }
  } catch (e) {
    await rm(dir, { recursive: true, force: true })
    throw e
  }
}

async function stop(h: Harness | undefined): Promise<void> {
  if (!h) return
  await h.agent.close()
  await rm(h.dir, { recursive: true, force: true })
}

/** The REST API under /v1 with the admin key: status and JSON body. */
async function v1(h: Harness, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${h.agent.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await r.text()
  return { status: r.status, json: text ? JSON.parse(text) : undefined }
}

async function offer(h: Harness, input: Record<string, unknown>): Promise<{ sessionId: string; offer: string; txCode?: string }> {
  const r = await v1(h, '/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID, ...input })
  expect(r.status, JSON.stringify(r.json)).toBe(201)
  return r.json
}

const sessionState = async (h: Harness, id: string): Promise<string> => {
  const r = await v1(h, `/v1/issuance-sessions/${id}`)
  expect(r.status).toBe(200)
  return r.json.state
}

function walletFor(h: Harness, o: { dpop?: boolean; clientId?: string } = {}): WalletClient {
  return new WalletClient({
    fetcher,
    keyStore: new MemoryKeyStore(),
    formats: [sdJwtVcFormat({ issuerKeys: { trustAnchors: [h.anchor], requireIssInSan: false } })],
    ...(o.clientId ? { clientId: o.clientId } : {}),
    ...(o.dpop ? { dpop: true } : {}),
  })
}

/** A token request sent by hand, for what the wallet client refuses to send (e.g. no tx_code). */
async function rawToken(issuer: ResolvedIssuer, form: Record<string, string>): Promise<{ status: number; json: any }> {
  const r = await fetcher(issuer.asMetadata.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  })
  return { status: r.status, json: JSON.parse(utf8Decode(r.body)) }
}

describe('OpenID4VCI issuance flows through the agent (real HTTP on 127.0.0.1)', () => {
  let h: Harness

  beforeAll(async () => {
    h = await start()
  })
  afterAll(async () => {
    await stop(h)
  })

  it('§6.1 tx_code: the token endpoint needs the transaction code; a wrong one is invalid_grant', async () => {
    const created = await offer(h, { txCode: true })
    expect(created.txCode).toMatch(/^\d{6}$/)
    const txCode = created.txCode as string
    const wallet = walletFor(h)
    const resolved = await wallet.resolveOffer(created.offer)
    const grant = resolved.grants?.[PRE_AUTH_GRANT]
    expect(grant?.tx_code).toMatchObject({ input_mode: 'numeric', length: 6 })
    const issuer = await wallet.resolveIssuer(h.agent.url)

    // The wallet client will not send a token request without the code the offer asks for …
    await expect(wallet.tokenPreAuthorized(issuer, resolved)).rejects.toMatchObject({ code: 'openid4vci.token_failed' })
    // … and the token endpoint refuses one that omits it.
    const missing = await rawToken(issuer, {
      grant_type: PRE_AUTH_GRANT,
      'pre-authorized_code': grant?.['pre-authorized_code'] ?? '',
    })
    expect(missing.status).toBe(400)
    expect(missing.json.error).toBe('invalid_request')

    const wrong = txCode === '000000' ? '111111' : '000000'
    await expect(wallet.tokenPreAuthorized(issuer, resolved, { txCode: wrong })).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    expect(await sessionState(h, created.sessionId)).toBe('offered')

    const session = await wallet.tokenPreAuthorized(issuer, resolved, { txCode })
    expect(session.token.access_token).toBeTypeOf('string')
    expect(await sessionState(h, created.sessionId)).toBe('token_issued')
    const res = await wallet.requestCredentials(session, { configurationId: 'pid_sd_jwt', count: 1 })
    expect(res.credentials.map((c) => c.claims?.family_name)).toEqual(['Mustermann'])
    expect(await sessionState(h, created.sessionId)).toBe('credentials_issued')
  })

  it('manual approval (§9 deferred): the credential request gets a transaction_id; after POST …/approve the deferred request returns the credentials; after …/reject it is credential_request_denied', async () => {
    const wallet = walletFor(h)
    const issuer = await wallet.resolveIssuer(h.agent.url)
    expect(issuer.metadata.deferred_credential_endpoint).toBeTypeOf('string')

    const pending = async () => {
      const created = await offer(h, { requireApproval: true })
      const s = await v1(h, `/v1/issuance-sessions/${created.sessionId}`)
      expect(s.json).toMatchObject({ state: 'offered', requiresApproval: true, approval: null })
      const session = await wallet.tokenPreAuthorized(issuer, await wallet.resolveOffer(created.offer))
      const first = await wallet.requestCredentials(session, { configurationId: 'pid_sd_jwt', count: 2 })
      expect(first.credentials).toHaveLength(0)
      expect(first.transactionId).toBeTypeOf('string')
      expect(first.pendingKeys).toHaveLength(2)
      expect(await sessionState(h, created.sessionId)).toBe('issuing')
      const transactionId = first.transactionId as string
      const keys = first.pendingKeys ?? []
      const poll = () => wallet.deferred(session, 'pid_sd_jwt', transactionId, keys)
      // issuance_pending until the operator decides
      expect(await poll()).toBeUndefined()
      return { id: created.sessionId, poll }
    }

    const a = await pending()
    const approved = await v1(h, `/v1/issuance-sessions/${a.id}/approve`, { reason: 'documents checked' })
    expect(approved.status, JSON.stringify(approved.json)).toBe(200)
    expect(approved.json).toMatchObject({ approval: 'approved', approvalReason: 'documents checked' })
    const done = await a.poll()
    expect(done?.credentials).toHaveLength(2)
    expect(done?.credentials.map((c) => c.claims?.given_name)).toEqual(['Erika', 'Erika'])
    expect(await sessionState(h, a.id)).toBe('credentials_issued')
    const records = await v1(h, `/v1/credentials?session=${a.id}`)
    expect(records.json.items).toHaveLength(2)
    // a decided session cannot be decided again
    expect((await v1(h, `/v1/issuance-sessions/${a.id}/reject`, {})).status).toBe(409)

    const b = await pending()
    const rejected = await v1(h, `/v1/issuance-sessions/${b.id}/reject`, { reason: 'not eligible' })
    expect(rejected.status, JSON.stringify(rejected.json)).toBe(200)
    expect(rejected.json).toMatchObject({ state: 'failed', approval: 'rejected', approvalReason: 'not eligible' })
    await expect(b.poll()).rejects.toMatchObject({ error: 'credential_request_denied' })
    expect(await sessionState(h, b.id)).toBe('failed')
    expect((await v1(h, `/v1/credentials?session=${b.id}`)).json.items).toHaveLength(0)
  })
})

describe('OpenID4VCI offer expiry through the agent (controlled clock)', () => {
  let h: Harness
  const clock = new FakeClock(Date.now())

  beforeAll(async () => {
    h = await start({ clock })
  })
  afterAll(async () => {
    await stop(h)
  })

  it('§6.3 invalid_grant: an expired offer cannot be redeemed', async () => {
    const created = await offer(h, { expiresInSeconds: 30 })
    const wallet = walletFor(h)
    const resolved = await wallet.resolveOffer(created.offer)
    const issuer = await wallet.resolveIssuer(h.agent.url)
    clock.advanceSeconds(29)
    expect(await sessionState(h, created.sessionId)).toBe('offered')
    clock.advanceSeconds(2)
    expect(await sessionState(h, created.sessionId)).toBe('expired')
    const expired = await v1(h, '/v1/issuance-sessions?state=expired')
    expect(expired.json.items.map((s: any) => s.id)).toContain(created.sessionId)
    await expect(wallet.tokenPreAuthorized(issuer, resolved)).rejects.toMatchObject({ error: 'invalid_grant' })
    expect(await sessionState(h, created.sessionId)).toBe('expired')
    expect((await v1(h, `/v1/credentials?session=${created.sessionId}`)).json.items).toHaveLength(0)
  })

  it('a session redeemed but never finished (the wallet or the agent died between token and credential) is marked failed once its access token is useless', async () => {
    const created = await offer(h, {})
    const wallet = walletFor(h)
    const resolved = await wallet.resolveOffer(created.offer)
    const issuer = await wallet.resolveIssuer(h.agent.url)
    await wallet.tokenPreAuthorized(issuer, resolved)
    expect(await sessionState(h, created.sessionId)).toBe('token_issued')
    clock.advanceSeconds(600)
    expect(await h.agent.ctx.offers.sweepAbandoned()).toBe(0) // the token may still be used
    expect(await sessionState(h, created.sessionId)).toBe('token_issued')
    clock.advanceSeconds(61)
    expect(await h.agent.ctx.offers.sweepAbandoned()).toBe(1)
    const s = (await v1(h, `/v1/issuance-sessions/${created.sessionId}`)).json
    expect(s).toMatchObject({ state: 'failed' })
    const events = (await v1(h, `/v1/events?subject=${created.sessionId}`)).json.items.map((e: any) => e.type)
    expect(events.at(-1)).toBe('issuance.abandoned')
  })
})
