/**
 * Issue → hold → verify through one agent, over real loopback HTTP, on PGlite and on PostgreSQL: the holder API
 * answers the agent's own verification sessions (OpenID4VP 1.0 §5, §8: DCQL, direct_post and direct_post.jwt),
 * the report names each check, acceptance is a policy's or an operator's decision.
 * Spec: ../shared/specs/openid-4-verifiable-presentations-1_0.md
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSafeFetcher, type Fetcher } from '@bonafide/core'
import { MemoryKeyStore } from '@bonafide/keys'
import { MemoryWalletStore, msoMdocWalletFormat, sdJwtVcWalletFormat, Wallet } from '@bonafide/wallet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/env.js'
import { type RunningAgent, startAgent } from '../src/server.js'
import { createPgDatabase } from './databases.js'
import { MDL, NS } from './fixtures.js'

const PID = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1984-01-26', nationalities: ['DE'] }
const PID_QUERY = {
  id: 'pid',
  format: 'dc+sd-jwt',
  meta: { vct_values: ['urn:eudi:pid:1'] },
  claims: [{ path: ['given_name'] }, { path: ['family_name'] }, { path: ['birthdate'] }],
}
const MDL_QUERY = {
  id: 'mdl',
  format: 'mso_mdoc',
  meta: { doctype_value: 'org.iso.18013.5.1.mDL' },
  claims: [{ path: [NS, 'family_name'] }, { path: [NS, 'age_over_18'] }],
}
const BOTH = { credentials: [PID_QUERY, MDL_QUERY] }

interface Agent {
  agent: RunningAgent
  dir: string
  key: string
  anchor: string
  call(path: string, body?: unknown, method?: string): Promise<{ status: number; json: any; type: string }>
}

async function start(kind: 'pglite' | 'postgres', extra: Record<string, string> = {}): Promise<Agent> {
  const dir = await mkdtemp(join(tmpdir(), 'bonafide-verify-'))
  const env: Record<string, string> = {
    PORT: '0',
    BONAFIDE_DATA: dir,
    BONAFIDE_KEK: 'd'.repeat(64),
    BONAFIDE_LOG: 'silent',
    ...extra,
  }
  if (kind === 'postgres') env.DATABASE_URL = await createPgDatabase()
  const agent = await startAgent(loadConfig(env))
  const key = agent.ctx.firstAdminKey as string
  const anchor = await (await fetch(`${agent.url}/trust-anchor.pem`)).text()
  const call = async (path: string, body?: unknown, method?: string) => {
    const r = await fetch(`${agent.url}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await r.text()
    return { status: r.status, json: text ? JSON.parse(text) : undefined, type: r.headers.get('content-type') ?? '' }
  }
  return { agent, dir, key, anchor, call }
}

async function offer(a: Agent, configurationId: string, claims: unknown): Promise<string> {
  const r = await a.call('/v1/offers', { configurationIds: [configurationId], claims })
  expect(r.status, JSON.stringify(r.json)).toBe(201)
  return r.json.offer as string
}

async function session(a: Agent, body: Record<string, unknown>) {
  const r = await a.call('/v1/presentation-sessions', body)
  expect(r.status, JSON.stringify(r.json)).toBe(201)
  return r.json as { id: string; request: string; qrSvg: string; state: string }
}

/** Resolve and answer a request through the holder API with the plan's default selection. */
async function answer(a: Agent, request: string) {
  const plan = await a.call('/v1/holder/requests', { request })
  expect(plan.status, JSON.stringify(plan.json)).toBe(201)
  const r = await a.call(`/v1/holder/requests/${plan.json.id}/respond`, { consent: true, selection: plan.json.plan.selection })
  expect(r.status, JSON.stringify(r.json)).toBe(200)
  return { plan: plan.json, result: r.json }
}

/** Read server-sent events from a stream until `until` returns true (or 10 s pass). */
async function readSse(res: Response, until: (types: string[]) => boolean): Promise<{ id: string; event: string; data: any }[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const out: { id: string; event: string; data: any }[] = []
  let buf = ''
  const stop = Date.now() + 10_000
  while (Date.now() < stop && !until(out.map((e) => e.event))) {
    const { value, done } = await reader.read()
    if (done) break
    buf += new TextDecoder().decode(value)
    let i = buf.indexOf('\n\n')
    while (i >= 0) {
      const block = buf.slice(0, i)
      buf = buf.slice(i + 2)
      const f = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => l && !l.startsWith(':'))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
      )
      if (f.event) out.push({ id: String(f.id), event: f.event, data: JSON.parse(String(f.data)) })
      i = buf.indexOf('\n\n')
    }
  }
  await reader.cancel()
  return out
}

const checksOf = (q: { checks: { check: string; outcome: string; code?: string }[] }) =>
  Object.fromEntries(q.checks.map((c) => [c.check, c.outcome]))

/** A library wallet outside the agent (memory stores), recording what it posts. */
function outsideWallet(a: Agent) {
  const posts: { url: string; body: string }[] = []
  const base = createSafeFetcher({ allowHttp: true, allowLoopback: true })
  const fetcher: Fetcher = async (url, req) => {
    if (req?.method === 'POST' && typeof req.body === 'string') posts.push({ url, body: req.body })
    return base(url, req)
  }
  const wallet = new Wallet({
    store: new MemoryWalletStore(),
    keyStore: new MemoryKeyStore(),
    fetcher,
    formats: [
      sdJwtVcWalletFormat({ issuerKeys: { trustAnchors: [a.anchor], requireIssInSan: false } }),
      msoMdocWalletFormat({ trustAnchors: [a.anchor] }),
    ],
    verifierTrustAnchors: [a.anchor],
  })
  return { wallet, posts }
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`verification sessions and the holder API on ${kind}`, () => {
    let a: Agent
    beforeAll(async () => {
      a = await start(kind)
      await answerOffer(a, await offer(a, 'pid_sd_jwt', PID))
      await answerOffer(a, await offer(a, 'mdl_mdoc', MDL))
    })
    afterAll(async () => {
      await a?.agent.close()
      if (a) await rm(a.dir, { recursive: true, force: true })
    })

    async function answerOffer(x: Agent, uri: string) {
      const r = await x.call('/v1/holder/offers', { offer: uri })
      expect(r.status, JSON.stringify(r.json)).toBe(201)
      return r.json
    }

    it('OpenID4VP §6 DCQL: PID (SD-JWT VC) and mDL (mdoc) asked in one session, answered by the holder API; every check passes; an operator accepts', async () => {
      const pools = (await a.call('/v1/holder/pools')).json.items
      expect(pools.map((p: any) => [p.format, p.unused])).toEqual(
        expect.arrayContaining([
          ['dc+sd-jwt', 10],
          ['mso_mdoc', 10],
        ]),
      )
      expect(JSON.stringify(pools)).not.toContain('refreshToken')
      const received = (await a.call('/v1/events?type=holder.credentials_received')).json.items
      expect(received.map((e: any) => [e.data.format, e.data.copies])).toEqual([
        ['dc+sd-jwt', 10],
        ['mso_mdoc', 10],
      ])
      const s = await session(a, { dcql: BOTH })
      expect(s.request).toMatch(/^openid4vp:\/\/\?client_id=x509_hash%3A.+&request_uri=/)
      expect(s.qrSvg).toContain('<svg')
      expect(s.state).toBe('created')
      const { plan, result } = await answer(a, s.request)
      expect(plan.verifier.clientId).toMatch(/^x509_hash:/)
      expect(plan.plan.queries.map((q: any) => [q.queryId, q.candidates.length])).toEqual([
        ['pid', 1],
        ['mdl', 1],
      ])
      expect(result.outcome).toBe('accepted')
      const v = (await a.call(`/v1/presentation-sessions/${s.id}`)).json
      expect(v.state).toBe('verified')
      expect(v.valid).toBe(true)
      expect(v.credentials.map((q: any) => [q.queryId, q.format, q.valid])).toEqual([
        ['pid', 'dc+sd-jwt', true],
        ['mdl', 'mso_mdoc', true],
      ])
      expect(v.credentials[0].claims[0]).toMatchObject({ given_name: 'Erika', family_name: 'Mustermann' })
      expect(v.credentials[1].claims[0]).toEqual({ [NS]: { family_name: 'Mustermann', age_over_18: true } })
      for (const q of v.credentials)
        expect(checksOf(q)).toMatchObject({
          issuer_signature: 'passed',
          issuer_trust: 'passed',
          disclosures: 'passed',
          holder_binding: 'passed',
          nonce: 'passed',
          validity: 'passed',
          status: 'passed',
          transaction_data: 'not_applicable',
        })
      const acc = await a.call(`/v1/presentation-sessions/${s.id}/accept`, { reason: 'looks right' })
      expect(acc.json).toMatchObject({ state: 'accepted', decision: { by: 'operator', accepted: true } })
      const again = await a.call(`/v1/presentation-sessions/${s.id}/reject`, {})
      expect([again.status, again.json.code, again.type]).toEqual([409, 'agent.session_state', 'application/problem+json'])
      const left = (await a.call('/v1/holder/pools')).json.items.map((p: any) => p.unused)
      expect(left.sort()).toEqual([9, 9])
      const log = (await a.call('/v1/holder/presentations')).json.items
      expect(log.at(-1)).toMatchObject({ outcome: 'accepted' })
      expect(JSON.stringify(log)).not.toContain('Erika') // the log keeps paths, never values or credentials
    })

    it('OpenID4VP §8.3 direct_post.jwt: the encrypted response verifies; an operator rejects with a reason', async () => {
      const s = await session(a, { dcql: { credentials: [PID_QUERY] }, responseMode: 'direct_post.jwt' })
      await answer(a, s.request)
      expect((await a.call(`/v1/presentation-sessions/${s.id}`)).json).toMatchObject({ state: 'verified', valid: true })
      const r = await a.call(`/v1/presentation-sessions/${s.id}/reject`, { reason: 'not today' })
      expect(r.json).toMatchObject({ state: 'rejected', decision: { by: 'operator', accepted: false, reasons: ['not today'] } })
      const row = await a.agent.ctx.database.db
        .selectFrom('verifier_sessions')
        .select('session')
        .where('id', '=', s.id)
        .executeTakeFirstOrThrow()
      expect(JSON.stringify(row.session)).not.toContain('"d":') // the response-decryption key is sealed under the KEK
    })

    it('DIF Presentation Exchange 2.1.1 (the pre-1.0 drafts): a presentation definition session answered by the holder API verifies', async () => {
      const definition = {
        id: 'pid-pex',
        input_descriptors: [
          {
            id: 'pid',
            format: { 'vc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'] } },
            constraints: {
              limit_disclosure: 'required',
              fields: [{ path: ['$.vct'], filter: { type: 'string', const: 'urn:eudi:pid:1' } }, { path: ['$.family_name'] }],
            },
          },
        ],
      }
      const s = await session(a, { presentationDefinition: definition })
      const { result } = await answer(a, s.request)
      expect(result.outcome).toBe('accepted')
      const v = (await a.call(`/v1/presentation-sessions/${s.id}`)).json
      expect(v).toMatchObject({ state: 'verified', valid: true, queryKind: 'pex' })
      expect(v.credentials[0]).toMatchObject({ queryId: 'pid', valid: true })
      const bad = await a.call('/v1/presentation-sessions', { presentationDefinition: { id: 'x', input_descriptors: 'no' } })
      expect([bad.status, bad.json.code]).toEqual([400, 'agent.presentation_definition_invalid'])
    })

    it('the holder pool refills below its minimum with the refresh token, as the wallet library does', async () => {
      const got = await a.call('/v1/holder/offers', { offer: await offer(a, 'pid_sd_jwt', PID), count: 3 })
      const poolId = got.json.pools[0].id
      expect(got.json.pools[0].unused).toBe(3)
      const s = await session(a, { dcql: { credentials: [PID_QUERY] } })
      const plan = (await a.call('/v1/holder/requests', { request: s.request })).json
      const r = await a.call(`/v1/holder/requests/${plan.id}/respond`, { consent: true, selection: { pid: [poolId] } })
      expect(r.json.refills).toEqual([{ poolId, added: expect.any(Number) }])
      const after = (await a.call('/v1/holder/pools')).json.items.find((p: any) => p.id === poolId)
      expect(after.unused).toBeGreaterThan(2)
      const ev = (await a.call(`/v1/events?type=holder.credentials_received&subject=${poolId}`)).json.items
      expect(ev.map((e: any) => e.data.how)).toEqual(['received', 'refilled'])
    })

    it('a configuration that stores claims keeps them on each issued record; one that does not keeps none', async () => {
      const cfg = await a.call('/v1/credential-configurations', {
        id: `kept_${Date.now()}`,
        format: 'dc+sd-jwt',
        vct: 'https://example.com/kept',
        storeClaims: true,
      })
      expect(cfg.status, JSON.stringify(cfg.json)).toBe(201)
      const kept = await a.call('/v1/offers', { configurationIds: [cfg.json.id], claims: { member: 'yes' } })
      const plain = await a.call('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID })
      for (const o of [kept, plain])
        expect((await a.call('/v1/holder/offers', { offer: o.json.offer, count: 2 })).status).toBe(201)
      const withClaims = (await a.call(`/v1/credentials?session=${kept.json.sessionId}`)).json.items
      expect(withClaims.map((c: any) => c.claims)).toEqual([{ member: 'yes' }, { member: 'yes' }])
      const without = (await a.call(`/v1/credentials?session=${plain.json.sessionId}`)).json.items
      expect(without.every((c: any) => c.claims === undefined)).toBe(true)
    })

    it('a policy that accepts (claim value and minimum age) and one that rejects, decided as soon as the presentation verifies', async () => {
      const yes = await session(a, {
        dcql: { credentials: [PID_QUERY] },
        policy: {
          requiredClaims: [{ queryId: 'pid', path: ['family_name'], values: ['Mustermann'] }],
          minimumAge: 18,
          trustedIssuers: [a.agent.url],
        },
      })
      await answer(a, yes.request)
      expect((await a.call(`/v1/presentation-sessions/${yes.id}`)).json).toMatchObject({
        state: 'accepted',
        decision: { by: 'policy', accepted: true },
      })
      const no = await session(a, {
        dcql: { credentials: [PID_QUERY] },
        policy: { requiredClaims: [{ path: ['given_name'], values: ['Max'] }] },
      })
      await answer(a, no.request)
      const v = (await a.call(`/v1/presentation-sessions/${no.id}`)).json
      expect(v).toMatchObject({ state: 'rejected', valid: true, decision: { by: 'policy', accepted: false } })
      expect(v.decision.reasons[0]).toContain('given_name')
      expect(JSON.stringify(v.decision)).not.toContain('Erika')
    })

    it('OpenID4VP §8.2: a replayed response is refused and the session keeps its first result; a revoked copy fails its session with the status check named', async () => {
      const { wallet, posts } = outsideWallet(a)
      const made = (await a.call('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID })).json
      await wallet.receiveOffer(made.offer, { count: 2 })
      const s = await session(a, { dcql: { credentials: [PID_QUERY] } })
      await wallet.present(s.request, { consent: (p) => p.selection, refill: false })
      expect((await a.call(`/v1/presentation-sessions/${s.id}`)).json.state).toBe('verified')
      const sent = posts.filter((p) => p.url.endsWith('/response')).at(-1) as { url: string; body: string }
      const replay = await fetch(sent.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: sent.body,
      })
      expect(replay.status).toBe(400)
      expect(((await replay.json()) as { error: string }).error).toBe('invalid_request')
      expect((await a.call(`/v1/presentation-sessions/${s.id}`)).json).toMatchObject({ state: 'verified', valid: true })

      // revoke the whole batch the outside wallet holds: its next copy fails the status check
      const held = (await a.call(`/v1/credentials?session=${made.sessionId}`)).json.items
      expect(held).toHaveLength(2)
      const twoBatch = held[0].batchId
      expect((await a.call(`/v1/batches/${twoBatch}/revoke`, {})).status).toBe(200)
      const t = await session(a, { dcql: { credentials: [PID_QUERY] } })
      await wallet.present(t.request, { consent: (p) => p.selection, refill: false })
      const v = (await a.call(`/v1/presentation-sessions/${t.id}`)).json
      expect(v).toMatchObject({ state: 'verification_failed', valid: false })
      const failed = v.credentials[0].checks.filter((c: any) => c.outcome === 'failed')
      expect(failed).toEqual([expect.objectContaining({ check: 'status', code: 'openid4vp.status_revoked' })])
      expect(checksOf(v.credentials[0])).toMatchObject({ issuer_signature: 'passed', holder_binding: 'passed' })
      const acc = await a.call(`/v1/presentation-sessions/${t.id}/accept`, {})
      expect([acc.status, acc.json.code]).toEqual([409, 'agent.session_state'])
    })

    it('server-sent events: a presentation session streams created → request_fetched → verified → accepted; Last-Event-ID resumes; the agent stream carries no claim values', async () => {
      const auth = { authorization: `Bearer ${a.key}` }
      const global = await fetch(`${a.agent.url}/v1/events/stream`, { headers: auth })
      expect(global.headers.get('content-type')).toContain('text/event-stream')
      const s = await session(a, { dcql: { credentials: [PID_QUERY] }, policy: { minimumAge: 18 } })
      const live = await fetch(`${a.agent.url}/v1/presentation-sessions/${s.id}/events`, { headers: auth })
      const answered = answer(a, s.request)
      const events = await readSse(live, (t) => t.includes('presentation.accepted'))
      await answered
      expect(events.map((e) => e.event)).toEqual([
        'presentation.created',
        'presentation.request_fetched',
        'presentation.verified',
        'presentation.accepted',
      ])
      expect(events.every((e) => e.data.subject === s.id)).toBe(true)
      const resumed = await fetch(`${a.agent.url}/v1/presentation-sessions/${s.id}/events`, {
        headers: { ...auth, 'last-event-id': events[1]?.id as string },
      })
      expect((await readSse(resumed, (t) => t.length >= 2)).map((e) => e.event)).toEqual([
        'presentation.verified',
        'presentation.accepted',
      ])
      const all = await readSse(global, (t) => t.includes('presentation.accepted'))
      expect(all.map((e) => e.event)).toEqual(expect.arrayContaining(['presentation.created', 'presentation.accepted']))
      expect(JSON.stringify(all)).not.toMatch(/Erika|Mustermann/)
      const unknown = await fetch(`${a.agent.url}/v1/presentation-sessions/nope/events`, { headers: auth })
      expect(unknown.status).toBe(404)
      const page = (await a.call(`/v1/events?subject=${s.id}`)).json
      expect(page.items.map((e: any) => e.type)).toEqual(events.map((e) => e.event))
    })

    it('bad input is a problem+json with a code and writes nothing', async () => {
      const db = a.agent.ctx.database.db
      const count = async (t: 'presentation_sessions' | 'holder_requests') =>
        Number(
          (
            await db
              .selectFrom(t)
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      const before = await count('presentation_sessions')
      const unknown = await a.call('/v1/presentation-sessions/no_such_session')
      expect([unknown.status, unknown.json.code, unknown.type]).toEqual([404, 'agent.not_found', 'application/problem+json'])
      const malformed = await a.call('/v1/presentation-sessions', { dcql: { credentials: [{ id: 'x', format: 'dc+sd-jwt' }] } })
      expect([malformed.status, malformed.json.code]).toEqual([400, 'agent.dcql_invalid'])
      const both = await a.call('/v1/presentation-sessions', {
        dcql: BOTH,
        presentationDefinition: { id: 'p', input_descriptors: [] },
      })
      expect([both.status, both.json.code]).toEqual([400, 'agent.body_invalid'])
      const td = (ids: string[]) => [{ type: 'payment', credential_ids: ids, amount: '1' }]
      const mdocTd = await a.call('/v1/presentation-sessions', { dcql: BOTH, transactionData: td(['mdl']) })
      expect([mdocTd.status, mdocTd.json.code]).toEqual([400, 'agent.transaction_data_invalid'])
      const otherTd = await a.call('/v1/presentation-sessions', { dcql: BOTH, transactionData: td(['nope']) })
      expect([otherTd.status, otherTd.json.code]).toEqual([400, 'agent.transaction_data_invalid'])
      expect(await count('presentation_sessions')).toBe(before)

      // the public endpoints: an oversize response (1 MiB, counted while streaming) and an unknown prefix
      const big = await fetch(`${a.agent.url}/openid4vp/x509_hash/direct_post/response`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `vp_token=${'a'.repeat((1 << 20) + 1)}`,
      })
      expect([big.status, ((await big.json()) as { error: string }).error]).toEqual([413, 'invalid_request'])
      const nope = await fetch(`${a.agent.url}/openid4vp/nope/direct_post/response`, { method: 'POST', body: 'x=1' })
      expect(nope.status).toBe(404)

      const s = await session(a, { dcql: { credentials: [PID_QUERY] } })
      const plan = (await a.call('/v1/holder/requests', { request: s.request })).json
      const poolsBefore = (await a.call('/v1/holder/pools')).json.items.map((p: any) => p.unused)
      const wrong = await a.call(`/v1/holder/requests/${plan.id}/respond`, { consent: true, selection: { pid: ['not-a-pool'] } })
      expect([wrong.status, wrong.json.code]).toEqual([400, 'agent.selection_invalid'])
      const noConsent = await a.call(`/v1/holder/requests/${plan.id}/respond`, { consent: false, selection: plan.plan.selection })
      expect([noConsent.status, noConsent.json.code]).toEqual([400, 'agent.body_invalid'])
      expect((await a.call('/v1/holder/pools')).json.items.map((p: any) => p.unused)).toEqual(poolsBefore)
      expect((await a.call(`/v1/presentation-sessions/${s.id}`)).json.state).toBe('request_fetched')
      // the holder may still choose correctly, once
      expect(
        (await a.call(`/v1/holder/requests/${plan.id}/respond`, { consent: true, selection: plan.plan.selection })).status,
      ).toBe(200)
      const twice = await a.call(`/v1/holder/requests/${plan.id}/respond`, { consent: true, selection: plan.plan.selection })
      expect([twice.status, twice.json.code]).toEqual([409, 'agent.request_answered'])
      const unknownReq = await a.call('/v1/holder/requests/hreq_nope/respond', { consent: true, selection: {} })
      expect([unknownReq.status, unknownReq.json.code]).toEqual([404, 'agent.not_found'])
    })
  })
}

describe('trust between two agents', () => {
  const insecure = { BONAFIDE_INSECURE_FETCH: 'true' }
  let a: Agent
  let b: Agent
  beforeAll(async () => {
    // two agents on one machine talk over http on loopback: allowed only with BONAFIDE_INSECURE_FETCH
    ;[a, b] = await Promise.all([start('postgres', insecure), start('postgres', insecure)])
  })
  afterAll(async () => {
    for (const x of [a, b]) {
      await x?.agent.close()
      if (x) await rm(x.dir, { recursive: true, force: true })
    }
  })

  it("a credential from an issuer the verifier does not trust fails issuer_trust with how to trust it; once trusted by API it verifies; the holder refuses an untrusted verifier's request", async () => {
    // B holds a PID from B; A's verifier asks for it
    expect((await b.call('/v1/holder/offers', { offer: await offer(b, 'pid_sd_jwt', PID) })).status).toBe(201)
    const s1 = await session(a, { dcql: { credentials: [PID_QUERY] } })
    const refused = await b.call('/v1/holder/requests', { request: s1.request })
    expect([refused.status, refused.json.code]).toEqual([400, 'agent.verifier_untrusted'])
    expect(refused.json.hint).toContain('verifier_root')
    expect((await b.call('/v1/trust', { kind: 'verifier_root', value: a.anchor, label: 'agent A' })).status).toBe(201)
    // the request_uri was fetched once (§5.10): the verifier starts a new session
    const s1b = await session(a, { dcql: { credentials: [PID_QUERY] } })
    await answer(b, s1b.request)
    const v1 = (await a.call(`/v1/presentation-sessions/${s1b.id}`)).json
    expect(v1.state).toBe('verification_failed')
    const failed = v1.credentials[0].checks.find((c: any) => c.outcome === 'failed')
    expect(failed).toMatchObject({ check: 'issuer_trust' })
    expect(failed.hint).toContain('POST /v1/trust')
    expect((await a.call('/v1/trust', { kind: 'x509_root', value: b.anchor })).status).toBe(201)
    const dup = await a.call('/v1/trust', { kind: 'x509_root', value: b.anchor })
    expect([dup.status, dup.json.code]).toEqual([409, 'agent.trust_exists'])
    const s2 = await session(a, { dcql: { credentials: [PID_QUERY] } })
    await answer(b, s2.request)
    const v2 = (await a.call(`/v1/presentation-sessions/${s2.id}`)).json
    expect(v2, JSON.stringify(v2.credentials)).toMatchObject({ state: 'verified', valid: true })
    const bad = await a.call('/v1/trust', { kind: 'x509_root', value: 'not a certificate' })
    expect([bad.status, bad.json.code]).toEqual([400, 'agent.trust_invalid'])
  })
})
