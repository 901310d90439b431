import { b64uEncode, type Fetcher, utf8Decode, utf8Encode } from '@bonafide/core'
import { parsePresentationDefinition } from '@bonafide/openid4vp/pex'
import { decodeSdJwt } from '@bonafide/sd-jwt'
import { afterAll, describe, expect, it } from 'vitest'
import { isPexPlan, type PexPresentationPlan, planPexPresentation, type Selection, Wallet } from '../src/index.js'
import { PID, PID_MDOC, startWorld } from './world.js'

const NS = PID_MDOC
const pidSdJwt = (id = 'pid', group?: string[]) => ({
  id,
  format: { 'vc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'] } },
  ...(group ? { group } : {}),
  constraints: {
    limit_disclosure: 'required',
    fields: [
      { path: ['$.vct'], filter: { type: 'string', const: PID } },
      { path: ['$.family_name'] },
      { path: ['$.age_over_18'], filter: { type: 'boolean', const: true } },
    ],
  },
})
/** PEX with mdoc (ISO/IEC 18013-7 Annex B): the descriptor id is the doctype. */
const pidMdoc = (group?: string[]) => ({
  id: PID_MDOC,
  format: { mso_mdoc: { alg: ['ES256'] } },
  ...(group ? { group } : {}),
  constraints: { limit_disclosure: 'required', fields: [{ path: [`$['${NS}']['age_over_18']`], intent_to_retain: false }] },
})
const both = { id: 'pid-both', purpose: 'age check', input_descriptors: [pidSdJwt(), pidMdoc()] }
const yes = (plan: { selection: Selection }) => plan.selection

describe('Presentation Exchange requests (OpenID4VP drafts before 1.0, PEX 2.1.1)', async () => {
  const world = await startWorld({ refreshTokens: false })
  afterAll(() => world.close())

  /** A wallet whose responses reach the verifier in-process, the form kept (the world's server reads vp_token as JSON only). */
  function directWallet(posted: URLSearchParams[]): Wallet {
    const base = world.wallet()
    const fetcher: Fetcher = async (url, req) => {
      if (req?.method !== 'POST' || !url.endsWith('/post')) return world.fetcher(url, req)
      const body = typeof req.body === 'string' ? req.body : utf8Decode(req.body ?? new Uint8Array())
      posted.push(new URLSearchParams(body))
      const res = await world.verifier.handleResponse(new Request(url, { method: 'POST', headers: req.headers ?? {}, body }))
      return { url, status: res.status, headers: {}, body: utf8Encode(await res.text()) }
    }
    return new Wallet({ ...base.o, fetcher })
  }

  it('PEX 2.1.1 §Input Evaluation: PID SD-JWT VC + PID mdoc answered, each from its own unused copy, accepted by the verifier', async () => {
    const wallet = world.wallet()
    const pools = await wallet.receiveOffer(await world.offer(), { count: 3 })
    const before = world.received.length
    const { link, sessionId } = await world.verifier.createPexRequest(both)
    let shown: PexPresentationPlan | undefined
    const r = await wallet.present(link, {
      consent: (plan) => {
        if (isPexPlan(plan)) shown = plan
        return plan.selection
      },
      refill: false,
    })
    expect(r.outcome).toBe('accepted')
    expect(shown).toMatchObject({
      kind: 'pex',
      definition: { id: 'pid-both', purpose: 'age check' },
      satisfiable: true,
      queries: [
        {
          queryId: 'pid',
          format: 'vc+sd-jwt',
          multiple: false,
          role: 'required',
          candidates: [
            {
              claims: [
                { path: ['family_name'], values: ['Mustermann'] },
                { path: ['age_over_18'], values: [true] },
              ],
            },
          ],
        },
        { queryId: PID_MDOC, role: 'required', candidates: [{ claims: [{ path: [NS, 'age_over_18'], values: [true] }] }] },
      ],
    })
    const result = await world.verifier.result(sessionId)
    expect(result?.valid).toBe(true)
    expect(result?.credentials.map((c) => [c.queryId, c.valid])).toEqual([
      ['pid', true],
      [PID_MDOC, true],
    ])
    expect(result?.pex?.descriptors.map((d) => d.overDisclosed)).toEqual([[[]], [[]]])
    // one presentation per descriptor, in a vp_token array (presentation_submission paths $[0], $[1])
    const sent = world.received.slice(before) as unknown as string[][]
    expect(sent).toHaveLength(1)
    expect(sent[0]).toHaveLength(2)
    expect(decodeSdJwt(sent[0]?.[0] as string).disclosures.map((d) => d.name)).toEqual(
      expect.arrayContaining(['family_name', 'age_over_18']),
    )
    const byPool = new Map(pools.map((p) => [p.format, p.id]))
    expect(r.used.map((u) => [u.queryId, u.poolId])).toEqual([
      ['pid', byPool.get('dc+sd-jwt')],
      [PID_MDOC, byPool.get('mso_mdoc')],
    ])
    for (const s of await wallet.list()) expect(s.unused).toBe(2)
    for (const u of r.used) expect((await wallet.o.store.listCopies(u.poolId)).some((c) => c.id === u.copyId)).toBe(false)
  })

  it('two descriptors answered by one pool take two distinct copies', async () => {
    const wallet = world.wallet()
    const [pool] = await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 4 })
    const before = world.received.length
    const { link, sessionId } = await world.verifier.createPexRequest({
      id: 'twice',
      input_descriptors: [pidSdJwt('a'), pidSdJwt('b')],
    })
    const r = await wallet.present(link, { consent: yes, refill: false })
    expect(r.outcome).toBe('accepted')
    expect((await world.verifier.result(sessionId))?.valid).toBe(true)
    expect(r.used.map((u) => u.poolId)).toEqual([pool?.id, pool?.id])
    expect(new Set(r.used.map((u) => u.copyId)).size).toBe(2)
    const sent = (world.received.slice(before)[0] as unknown as string[]).map((p) => decodeSdJwt(p).parts.jwt)
    expect(new Set(sent).size).toBe(2) // two issuer-signed copies, never one shown twice
    expect((await wallet.list())[0]?.unused).toBe(2)
  })

  it('a definition the wallet cannot satisfy → wallet.request_unsatisfiable, nothing sent, no copy used', async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 1 })
    const before = world.received.length
    const { link } = await world.verifier.createPexRequest({
      id: 'p',
      input_descriptors: [
        pidSdJwt(),
        { id: 'other', constraints: { fields: [{ path: ['$.vct'], filter: { const: 'urn:other' } }] } },
      ],
    })
    let asked = false
    await expect(
      wallet.present(link, {
        consent: (p) => {
          asked = true
          return p.selection
        },
      }),
    ).rejects.toMatchObject({ code: 'wallet.request_unsatisfiable', details: { queries: ['other'] } })
    expect(asked).toBe(false)
    expect(world.received.length).toBe(before)
    expect((await wallet.list())[0]).toMatchObject({ unused: 1 })
  })

  it('a declined consent sends nothing and uses no copy', async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(), { count: 2 })
    const before = world.received.length
    const { link } = await world.verifier.createPexRequest(both)
    await expect(wallet.present(link, { consent: () => undefined })).rejects.toMatchObject({ code: 'wallet.consent_declined' })
    expect(world.received.length).toBe(before)
    for (const s of await wallet.list()) expect(s.unused).toBe(2)
    expect(await wallet.log()).toEqual([])
  })

  it('the log records the descriptor ids, the credential types and the disclosed paths (never vct, never a credential)', async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(), { count: 2 })
    await wallet.present((await world.verifier.createPexRequest(both)).link, { consent: yes, refill: false })
    const log = await wallet.log()
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({
      outcome: 'accepted',
      verifier: { clientId: 'x509_san_dns:localhost' },
      credentials: [
        { queryId: 'pid', format: 'dc+sd-jwt', type: PID, claims: [['family_name'], ['age_over_18']] },
        { queryId: PID_MDOC, format: 'mso_mdoc', type: PID_MDOC, claims: [[NS, 'age_over_18']] },
      ],
    })
    const json = JSON.stringify(log)
    for (const p of await wallet.o.store.listPools())
      for (const c of await wallet.o.store.listCopies(p.id)) expect(json.includes(c.credential.slice(0, 40))).toBe(false)
  })

  it("OpenID4VP §8.4 transaction data naming a descriptor is shown on it and signed in that presentation's KB-JWT", async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(), { count: 2 })
    const td = b64uEncode(utf8Encode(JSON.stringify({ type: 'payment', credential_ids: ['pid'], amount: '10 EUR' })))
    const before = world.received.length
    const { link, sessionId } = await world.verifier.createPexRequest(both, { transactionData: [td] })
    let shown: PexPresentationPlan | undefined
    const r = await wallet.present(link, {
      consent: (plan) => {
        if (isPexPlan(plan)) shown = plan
        return plan.selection
      },
      refill: false,
    })
    expect(shown?.queries.map((q) => q.transactionData)).toEqual([['payment'], []])
    expect(shown?.transactionData).toEqual([{ type: 'payment', credentialIds: ['pid'] }])
    expect(r.outcome).toBe('accepted')
    expect((await world.verifier.result(sessionId))?.valid).toBe(true)
    const sd = decodeSdJwt((world.received.slice(before)[0] as unknown as string[])[0] as string)
    expect(sd.kbJwt?.payload.transaction_data_hashes).toHaveLength(1)
  })

  it('OpenID4VP §8.4: transaction data naming no input descriptor of the request is refused while planning', () => {
    const td = b64uEncode(utf8Encode(JSON.stringify({ type: 'payment', credential_ids: ['nope'] })))
    const request = {
      clientId: 'x509_san_dns:localhost',
      nonce: 'n',
      presentationDefinition: parsePresentationDefinition(both),
      transactionData: [td],
    } as unknown as Parameters<typeof planPexPresentation>[0]
    expect(() => planPexPresentation(request, [])).toThrow(expect.objectContaining({ code: 'openid4vp.request_invalid' }))
  })

  describe('§Submission Requirement Feature', () => {
    const pick = {
      id: 'pick-one',
      input_descriptors: [pidSdJwt('pid', ['A']), pidMdoc(['A'])],
      submission_requirements: [{ rule: 'pick', count: 1, from: 'A', name: 'one PID' }],
    }

    it('pick 1 from A: the plan chooses the first, shows the other as an alternative; one presentation is sent as the vp_token itself ($)', async () => {
      const posted: URLSearchParams[] = []
      const wallet = directWallet(posted)
      await wallet.receiveOffer(await world.offer(), { count: 2 })
      const { link, sessionId } = await world.verifier.createPexRequest(pick)
      let shown: PexPresentationPlan | undefined
      // the user prefers the mdoc: a valid edit of the default selection
      const r = await wallet.present(link, {
        consent: (plan) => {
          if (isPexPlan(plan)) shown = plan
          const md = plan.queries.find((q) => q.queryId === PID_MDOC)?.candidates[0]?.credentialId as string
          return { [PID_MDOC]: [md] }
        },
        refill: false,
      })
      expect(shown?.queries.map((q) => q.role)).toEqual(['required', 'alternative'])
      expect(Object.keys(shown?.selection ?? {})).toEqual(['pid'])
      expect(shown?.requirements).toEqual([{ index: 0, rule: 'pick', name: 'one PID', satisfiable: true }])
      expect(r.outcome).toBe('accepted')
      expect(r.used.map((u) => u.queryId)).toEqual([PID_MDOC])
      expect((await world.verifier.result(sessionId))?.valid).toBe(true)
      expect(posted).toHaveLength(1)
      expect(posted[0]?.get('vp_token')).toMatch(/^[A-Za-z0-9_-]+$/) // a base64url DeviceResponse, not a JSON array
      expect(JSON.parse(posted[0]?.get('presentation_submission') as string)).toMatchObject({
        definition_id: 'pick-one',
        descriptor_map: [{ id: PID_MDOC, format: 'mso_mdoc', path: '$' }],
      })
    })

    it('a selection that breaks the pick count is refused before any copy is taken', async () => {
      const wallet = world.wallet()
      await wallet.receiveOffer(await world.offer(), { count: 2 })
      const before = world.received.length
      const { link } = await world.verifier.createPexRequest(pick)
      const all = (
        plan: PexPresentationPlan | { queries: readonly { queryId: string; candidates: readonly { credentialId: string }[] }[] },
      ) => Object.fromEntries(plan.queries.map((q) => [q.queryId, [q.candidates[0]?.credentialId as string]]))
      await expect(wallet.present(link, { consent: all })).rejects.toMatchObject({
        code: 'openid4vp.pex_requirements_unsatisfied',
      })
      expect(world.received.length).toBe(before)
      for (const s of await wallet.list()) expect(s.unused).toBe(2)
    })

    it('without submission_requirements every descriptor is required: leaving one out is refused', async () => {
      const wallet = world.wallet()
      await wallet.receiveOffer(await world.offer(), { count: 2 })
      const { link } = await world.verifier.createPexRequest(both)
      await expect(wallet.present(link, { consent: (p) => ({ pid: p.selection.pid ?? [] }) })).rejects.toMatchObject({
        code: 'openid4vp.pex_descriptor_missing',
      })
      for (const s of await wallet.list()) expect(s.unused).toBe(2)
    })
  })
})
