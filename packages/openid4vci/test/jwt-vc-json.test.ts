import { FakeClock, type JsonObject } from '@bonafide/core'
import { bitstringStatusEntry, verifyJwtVc } from '@bonafide/jwt-vc'
import { createLocalSigner, generateKeyObject, type Signer } from '@bonafide/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jwtVcJsonFormat } from '../src/formats/jwt-vc-json.js'
import { PID_CLAIMS, type Running, startIssuer, walletFor } from './helpers.js'

const newSigner = (): Signer => createLocalSigner(generateKeyObject('ES256'), { store: 't', id: 'k' }, 'ES256')
const clock = new FakeClock(Date.UTC(2026, 10, 22, 15, 30, 0))
const configuration = { format: 'jwt_vc_json', credential_definition: { type: ['VerifiableCredential', 'IDCredential'] } }
const ISSUER = 'https://issuer.example'

describe('jwt_vc_json format (OpenID4VCI 1.0 Appendix A.1.1)', () => {
  const signer = newSigner()
  const issuerSide = jwtVcJsonFormat({ signer, subjectDid: 'did:jwk', validForSeconds: 86400 })
  const walletSide = jwtVcJsonFormat({ issuerKeys: { keys: [signer.publicJwk] } })

  it('A.1.1.2 validates credential_definition.type', () => {
    expect(() => issuerSide.validateConfiguration(configuration)).not.toThrow()
    for (const bad of [
      { format: 'jwt_vc_json' },
      { credential_definition: { type: [] } },
      { credential_definition: { type: [1] } },
    ])
      expect(() => issuerSide.validateConfiguration(bad as never)).toThrow(
        expect.objectContaining({ code: 'openid4vci.config_invalid' }),
      )
  })

  it('issues one credential per holder key (own id, cnf, subject DID, status) and the wallet validates each', async () => {
    const holders = [newSigner().publicJwk, newSigner().publicJwk, newSigner().publicJwk]
    const entries = holders.map((holderKey, i) => ({
      holderKey,
      status: bitstringStatusEntry({ statusListCredential: `${ISSUER}/status/1`, index: 10 + i }),
    }))
    const r = await issuerSide.issueBatch?.({
      issuer: ISSUER,
      configurationId: 'id',
      configuration,
      claims: PID_CLAIMS,
      entries,
      clock,
    })
    expect(r?.credentials).toHaveLength(3)
    const ids = new Set<string>()
    for (const [i, credential] of (r?.credentials ?? []).entries()) {
      const v = await walletSide.validateReceived?.({
        credential,
        issuer: ISSUER,
        configuration,
        holderKey: holders[i] as never,
        clock,
      })
      expect(v?.claims).toMatchObject(PID_CLAIMS)
      expect(v?.status).toMatchObject({ statusListIndex: String(10 + i) })
      for (const s of v?.salts ?? []) ids.add(s)
      const d = await verifyJwtVc(String(credential), { issuerKeys: { keys: [signer.publicJwk] }, clock })
      expect(d.subjectId).toMatch(/^did:jwk:/)
      expect(d.types).toEqual(['VerifiableCredential', 'IDCredential'])
    }
    expect(ids.size).toBe(3)
  })

  it('the wallet refuses a credential for another key, of another type or from another issuer', async () => {
    const holderKey = newSigner().publicJwk
    const r = await issuerSide.issueBatch?.({
      issuer: ISSUER,
      configurationId: 'id',
      configuration,
      claims: PID_CLAIMS,
      entries: [{ holderKey }],
      clock,
    })
    const credential = r?.credentials[0] as string
    const check = (over: object) =>
      walletSide.validateReceived?.({ credential, issuer: ISSUER, configuration, holderKey, clock, ...over } as never)
    await expect(check({ holderKey: newSigner().publicJwk })).rejects.toMatchObject({ code: 'openid4vci.credential_invalid' })
    await expect(
      check({ configuration: { credential_definition: { type: ['VerifiableCredential', 'Other'] } } }),
    ).rejects.toMatchObject({
      code: 'openid4vci.credential_invalid',
    })
    await expect(check({ issuer: 'https://other.example' })).rejects.toMatchObject({ code: 'openid4vci.credential_invalid' })
    await expect(check({ credential: { not: 'a string' } })).rejects.toMatchObject({ code: 'openid4vci.credential_invalid' })
    const stranger = jwtVcJsonFormat({ issuerKeys: { keys: [newSigner().publicJwk] } })
    await expect(
      stranger.validateReceived?.({ credential, issuer: ISSUER, configuration, holderKey, clock }),
    ).rejects.toMatchObject({ code: 'jwt_vc.signature_invalid' })
  })

  it('refuses a Token Status List reference unless mapped to a credentialStatus entry', async () => {
    const entries = [{ holderKey: newSigner().publicJwk, status: { status_list: { idx: 1, uri: `${ISSUER}/sl/1` } } }]
    await expect(
      issuerSide.issueBatch?.({ issuer: ISSUER, configurationId: 'id', configuration, claims: PID_CLAIMS, entries, clock }),
    ).rejects.toMatchObject({ code: 'openid4vci.config_invalid' })
  })
})

describe('jwt_vc_json over HTTP (pre-authorized code, batch)', () => {
  let r: Running
  const signer = newSigner()
  beforeAll(async () => {
    r = await startIssuer({
      formats: [
        jwtVcJsonFormat({
          signer,
          credentialStatus: (s) => {
            const sl = s.status_list as { idx: number; uri: string }
            return bitstringStatusEntry({ statusListCredential: sl.uri, index: sl.idx })
          },
        }),
      ],
      configurations: { id_jwt_vc: { ...configuration, scope: 'id' } },
    })
  })
  afterAll(() => r.close())

  it('§8.2 a batch of 3 through the wallet client: distinct ids and status indices, bound to each key', async () => {
    const { link } = await r.issuer.createOffer({ configurationIds: ['id_jwt_vc'] })
    const wallet = walletFor(r, { formats: [jwtVcJsonFormat({ issuerKeys: { keys: [signer.publicJwk] } })] })
    const res = await wallet.receiveOffer(link, { count: 3 })
    expect(res.credentials).toHaveLength(3)
    const idx = new Set<string>()
    for (const c of res.credentials) {
      const v = await verifyJwtVc(String(c.credential), { issuerKeys: { keys: [signer.publicJwk] } })
      expect(v.holderKey?.x).toBe(c.publicJwk.x)
      idx.add(String((v.credential.credentialStatus as JsonObject).statusListIndex))
    }
    expect(idx.size).toBe(3)
  })
})
