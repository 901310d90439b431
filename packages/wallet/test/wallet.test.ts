import { isJsonObject, type JsonValue } from '@bonafide/core'
import { decodeSdJwt } from '@bonafide/sd-jwt'
import { afterAll, describe, expect, it } from 'vitest'
import { retireExpired, type Selection } from '../src/index.js'
import { PID, PID_MDOC, startWorld } from './world.js'

const NS = PID_MDOC
const ageQuery = {
  credentials: [
    {
      id: 'pid',
      format: 'dc+sd-jwt',
      meta: { vct_values: [PID] },
      claims: [{ path: ['age_over_18'] }, { path: ['given_name'] }],
    },
  ],
}
const yes = (plan: { selection: Selection }) => plan.selection

/** Every leaf value of a JSON value, as strings. */
function leaves(v: JsonValue, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) leaves(x, out)
  else if (isJsonObject(v)) for (const x of Object.values(v)) leaves(x as JsonValue, out)
  else out.push(JSON.stringify(v))
  return out
}

describe('a pool of one-time-use copies, presented over real HTTP', async () => {
  const world = await startWorld({ refreshTokens: false })
  afterAll(() => world.close())

  it('10 presentations use 10 distinct copies; the verifier sees nothing repeated but the disclosed values, iss and vct; the 11th fails cleanly', async () => {
    const wallet = world.wallet()
    const pools = await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 10 })
    expect(pools).toHaveLength(1)
    expect((await wallet.list())[0]).toMatchObject({ unused: 10, low: false })
    const before = world.received.length
    const refills = []
    for (let i = 0; i < 10; i++) {
      const { link, sessionId } = await world.verifier.createRequest(ageQuery)
      const r = await wallet.present(link, { consent: yes })
      expect(r.outcome).toBe('accepted')
      expect((await world.verifier.result(sessionId))?.valid).toBe(true)
      refills.push(...r.refills)
    }
    // below the minimum of 3 the wallet reports that a new offer is needed (this issuer gives no refresh token)
    expect(refills[0]).toMatchObject({ poolId: pools[0]?.id, needsOffer: true })
    const sent = world.received.slice(before).map((v) => v.pid?.[0] as string)
    expect(sent).toHaveLength(10)
    const decoded = sent.map((p) => decodeSdJwt(p))
    const distinct = (xs: unknown[]) => new Set(xs.map((x) => JSON.stringify(x))).size
    expect(distinct(decoded.map((d) => d.parts.jwt.split('.')[2]))).toBe(10) // issuer signatures
    expect(distinct(decoded.map((d) => (d.jwt.payload.cnf as { jwk: unknown }).jwk))).toBe(10) // holder keys
    expect(distinct(decoded.flatMap((d) => d.disclosures.map((x) => x.digest)))).toBe(20) // digests
    // Values allowed to repeat: the disclosed claims, iss and vct — plus what every holder of this
    // issuer shares by design: header alg/typ/x5c, rounded timestamps, _sd_alg, the key type of cnf, and the status list URI.
    const allowed = new Set([
      '"Erika"',
      'true',
      JSON.stringify(world.issuerUrl),
      JSON.stringify(PID),
      '"sha-256"',
      '"EC"',
      '"P-256"',
    ])
    const seen = new Map<string, number>()
    for (const d of decoded) {
      const { status, iat, exp, nbf, ...payload } = d.jwt.payload
      const values = new Set([...leaves(payload as JsonValue), ...d.disclosures.map((x) => x.salt), JSON.stringify(status)])
      for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1)
      void iat
      void exp
      void nbf
    }
    const repeated = [...seen].filter(([v, n]) => n > 1 && !allowed.has(v)).map(([v]) => v)
    expect(repeated).toEqual([])
    // the 11th: nothing unused is left, the wallet says so without sending anything
    const { link } = await world.verifier.createRequest(ageQuery)
    await expect(wallet.present(link, { consent: yes })).rejects.toMatchObject({ code: 'wallet.request_unsatisfiable' })
    expect(world.received.length - before).toBe(10)
    expect((await wallet.list())[0]).toMatchObject({ unused: 0, low: true })
  })

  it('concurrent presentations never take the same copy', async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 6 })
    const links = await Promise.all(Array.from({ length: 6 }, () => world.verifier.createRequest(ageQuery)))
    const results = await Promise.all(links.map((l) => wallet.present(l.link, { consent: yes, refill: false })))
    expect(results.every((r) => r.outcome === 'accepted')).toBe(true)
    expect(new Set(results.map((r) => r.used[0]?.copyId)).size).toBe(6)
  })

  it('a revoked copy is skipped (and retired with its key); a suspended one is set aside', async () => {
    const wallet = world.wallet(undefined, { statusChecks: true })
    const [pool] = await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 4 })
    const copies = await wallet.o.store.listCopies(pool?.id as string)
    const ref = (i: number) =>
      (copies[i] as unknown as { status: { status_list: { uri: string; idx: number } } }).status.status_list
    world.registry.setStatus(ref(0).uri, ref(0).idx, 1)
    world.registry.setStatus(ref(1).uri, ref(1).idx, 2)
    const { link, sessionId } = await world.verifier.createRequest(ageQuery)
    const r = await wallet.present(link, { consent: yes, refill: false })
    expect(r.skipped).toEqual([
      { poolId: pool?.id, copyId: copies[0]?.id, reason: 'revoked' },
      { poolId: pool?.id, copyId: copies[1]?.id, reason: 'suspended' },
    ])
    expect(r.used[0]?.copyId).toBe(copies[2]?.id)
    expect((await world.verifier.result(sessionId))?.valid).toBe(true)
    expect(await wallet.o.keyStore.get(copies[0]?.keyRef as never)).toBeUndefined()
    expect((await wallet.list())[0]?.counts).toMatchObject({ suspended: 1, unused: 1 })
    // lifted suspension: the copy returns to the pool and is the next one used
    world.registry.setStatus(ref(1).uri, ref(1).idx, 0)
    const again = await wallet.present((await world.verifier.createRequest(ageQuery)).link, { consent: yes, refill: false })
    expect(again.used[0]?.copyId).toBe(copies[1]?.id)
    expect((await wallet.list())[0]?.counts).toMatchObject({ suspended: 0, unused: 1 })
  })

  it('PID (SD-JWT VC) + PID (mdoc) in one session: the plan shows both, each from its own pool, the log keeps no credential', async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(), { count: 3 })
    const { link, sessionId } = await world.verifier.createRequest({
      credentials: [
        { id: 'sd', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['family_name'] }] },
        { id: 'md', format: 'mso_mdoc', meta: { doctype_value: PID_MDOC }, claims: [{ path: [NS, 'age_over_18'] }] },
        { id: 'extra', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] } },
      ],
      credential_sets: [{ options: [['sd', 'md']] }, { options: [['extra']], required: false }],
    })
    let shown: unknown
    const r = await wallet.present(link, {
      consent: (plan) => {
        shown = plan
        return plan.selection
      },
      refill: false,
    })
    expect(r.outcome).toBe('accepted')
    expect(r.redirectUri).toMatch(/response_code=/)
    expect(shown).toMatchObject({
      verifier: { clientId: 'x509_san_dns:localhost', subject: expect.stringContaining('CN=') },
      queries: [
        { queryId: 'sd', role: 'required', candidates: [{ claims: [{ path: ['family_name'], values: ['Mustermann'] }] }] },
        { queryId: 'md', role: 'required', candidates: [{ claims: [{ path: [NS, 'age_over_18'], values: [true] }] }] },
        { queryId: 'extra', role: 'alternative', candidates: [] },
      ],
    })
    const result = await world.verifier.result(sessionId)
    expect(result?.valid).toBe(true)
    expect(result?.credentials.map((c) => [c.queryId, c.valid])).toEqual([
      ['sd', true],
      ['md', true],
      ['extra', false],
    ])
    const log = await wallet.o.store.listLog()
    expect(log.at(-1)).toMatchObject({
      outcome: 'accepted',
      verifier: { clientId: 'x509_san_dns:localhost' },
      credentials: [
        { queryId: 'sd', type: PID, claims: [['family_name']] },
        { queryId: 'md', type: PID_MDOC, claims: [[NS, 'age_over_18']] },
      ],
    })
    const json = JSON.stringify(log)
    for (const p of await wallet.o.store.listPools())
      for (const c of await wallet.o.store.listCopies(p.id)) expect(json.includes(c.credential.slice(0, 40))).toBe(false)
  })

  it('expired copies are skipped, reported and retired with their keys', async () => {
    const later = { now: () => Date.now() + 400 * 86_400_000 } // past the mdoc's validUntil (a year)
    const wallet = world.wallet(undefined, { clock: later })
    const receiving = world.wallet(wallet.o.store)
    const [pool] = await receiving.receiveOffer(await world.offer(['pid_mdoc']), { count: 2 })
    expect((await wallet.list())[0]?.counts.expired).toBe(2)
    const skipped = await retireExpired(wallet)
    expect(skipped.map((x) => x.reason)).toEqual(['expired', 'expired'])
    expect(await wallet.o.store.listCopies(pool?.id as string)).toEqual([])
  })

  it('the log is queryable by verifier, type and time, and exports as JSON Lines', async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 3 })
    const start = Date.now()
    for (let i = 0; i < 2; i++) await wallet.present((await world.verifier.createRequest(ageQuery)).link, { consent: yes })
    expect(await wallet.log({ clientId: 'x509_san_dns:localhost', type: PID, since: start })).toHaveLength(2)
    expect(await wallet.log({ type: 'urn:other' })).toHaveLength(0)
    expect(await wallet.log({ until: start })).toHaveLength(0)
    const lines = (await wallet.exportLog()).split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => l.credentials[0].claims)).toEqual([
      [['age_over_18'], ['given_name']],
      [['age_over_18'], ['given_name']],
    ])
  })

  it('a declined consent sends nothing and uses no copy', async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 3 })
    const { link } = await world.verifier.createRequest(ageQuery)
    await expect(wallet.present(link, { consent: () => undefined })).rejects.toMatchObject({ code: 'wallet.consent_declined' })
    expect((await wallet.list())[0]?.unused).toBe(3)
  })
  it('resolveRequest plans without taking a copy; present(request) answers that parsed request (consent over an API)', async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 3 })
    const { link, sessionId } = await world.verifier.createRequest(ageQuery)
    const { request, plan } = await wallet.resolveRequest(link)
    expect(plan.queries.map((q) => [q.queryId, q.candidates.length])).toEqual([['pid', 1]])
    expect((await wallet.list())[0]?.unused).toBe(3)
    const r = await wallet.present(request, { consent: (p) => p.selection })
    expect(r.outcome).toBe('accepted')
    expect((await world.verifier.result(sessionId))?.valid).toBe(true)
    expect((await wallet.list())[0]?.unused).toBe(2)
  })
})

describe('refill with the refresh token the issuer gave', async () => {
  const world = await startWorld({ refreshTokens: true })
  afterAll(() => world.close())

  it('below the minimum (3 of 10) the wallet re-issues a batch with its rotated refresh token', async () => {
    const wallet = world.wallet()
    const [pool] = await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 10 })
    const firstToken = pool?.source?.refreshToken
    expect(firstToken).toEqual(expect.any(String))
    const outcomes = []
    for (let i = 0; i < 8; i++) {
      const { link } = await world.verifier.createRequest(ageQuery)
      outcomes.push((await wallet.present(link, { consent: yes })).refills)
    }
    expect(outcomes.slice(0, 7).every((o) => o.length === 0)).toBe(true)
    expect(outcomes[7]).toEqual([{ poolId: pool?.id, added: 10 }])
    const [summary] = await wallet.list()
    expect(summary?.unused).toBe(12)
    expect(summary?.pool.source?.refreshToken).not.toBe(firstToken)
    const keys = new Set((await wallet.o.store.listCopies(pool?.id as string)).map((c) => c.keyRef.id))
    expect(keys.size).toBe(12)
  })
})
