import { generateKeyPairSync } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSafeFetcher } from '@bonafide/core'
import { didForKey, issueJwtVc } from '@bonafide/jwt-vc'
import { createLocalSigner, exportPublicJwk, generateKeyObject, MemoryKeyStore } from '@bonafide/keys'
import { createNodeListener } from '@bonafide/oauth2'
import { Verifier } from '@bonafide/openid4vp'
import { jwtVcJsonValidator } from '@bonafide/openid4vp/formats'
import { createDevChain } from '@bonafide/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { jwtVcJsonWalletFormat, MemoryWalletStore, Wallet } from '../src/index.js'

describe('jwt_vc_json copies (W3C VCDM 1.1 as JWT) in a pool, presented as VP JWTs', async () => {
  const issuer = createLocalSigner(generateKeyObject('ES256'), { store: 't', id: 'i' }, 'ES256')
  const issuerDid = didForKey(issuer.publicJwk)
  const pki = await createDevChain({ dnsNames: ['localhost'] })
  let verifier: Verifier | undefined
  let origin = ''
  const server = http.createServer(createNodeListener((r) => (verifier as Verifier).handleResponse(r), { origin: () => origin }))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://localhost:${(server.address() as AddressInfo).port}`
  afterAll(() => new Promise<void>((r) => server.close(() => r())))
  verifier = new Verifier({
    clientId: 'x509_san_dns:localhost',
    signer: createLocalSigner(pki.leaf.key, { store: 't', id: 'v' }, 'ES256'),
    x5c: pki.x5c,
    responseUri: `${origin}/post`,
    validators: [jwtVcJsonValidator({ issuerKeys: { did: true } })],
  })
  const credential = {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    type: ['VerifiableCredential', 'UniversityDegreeCredential'],
    credentialSubject: { given_name: 'Erika', family_name: 'Mustermann', degree: { type: 'BachelorDegree' } },
  }
  const copy = async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwt = await issueJwtVc({ signer: issuer, issuer: issuerDid, credential, holderKey: exportPublicJwk(privateKey) })
    return { format: 'jwt_vc_json', credential: jwt, privateKey, alg: 'ES256' as const }
  }

  it('imports, presents each copy once with a VP bound to the copy key, and the verifier flags the undisclosable rest', async () => {
    const wallet = new Wallet({
      store: new MemoryWalletStore(),
      keyStore: new MemoryKeyStore(),
      fetcher: createSafeFetcher({ allowHttp: true, allowLoopback: true }),
      formats: [jwtVcJsonWalletFormat({ issuerKeys: { did: true } })],
      verifierTrustAnchors: [pki.root.pem],
    })
    const pool = await wallet.import([await copy(), await copy()])
    expect(pool).toMatchObject({
      format: 'jwt_vc_json',
      type: 'VerifiableCredential UniversityDegreeCredential',
      issuer: issuerDid,
    })
    const used = new Set<string>()
    for (let i = 0; i < 2; i++) {
      const { link, sessionId } = await verifier.createRequest({
        credentials: [
          {
            id: 'degree',
            format: 'jwt_vc_json',
            meta: { type_values: [['VerifiableCredential', 'UniversityDegreeCredential']] },
            claims: [{ path: ['credentialSubject', 'given_name'] }],
          },
        ],
      })
      const r = await wallet.present(link, { consent: (plan) => plan.selection, refill: false })
      expect(r.outcome).toBe('accepted')
      used.add(r.used[0]?.copyId as string)
      const result = await verifier.result(sessionId)
      expect(result?.valid).toBe(true)
      // a W3C JWT credential is shown whole: what was not asked is reported as over-disclosed
      expect(result?.credentials[0]?.overDisclosed).toEqual([['credentialSubject/family_name', 'credentialSubject/degree']])
    }
    expect(used.size).toBe(2)
    expect((await wallet.list())[0]?.unused).toBe(0)
  })

  it('refuses a copy whose issuer signature does not verify or whose key is not the bound one', async () => {
    const wallet = new Wallet({
      store: new MemoryWalletStore(),
      keyStore: new MemoryKeyStore(),
      fetcher: createSafeFetcher(),
      formats: [jwtVcJsonWalletFormat({ issuerKeys: { did: true } })],
    })
    const a = await copy()
    const b = await copy()
    const tampered = `${a.credential.slice(0, -4)}AAAA`
    await expect(wallet.import([{ ...a, credential: tampered }])).rejects.toMatchObject({ code: 'wallet.credential_invalid' })
    await expect(wallet.import([{ ...a, privateKey: b.privateKey }])).rejects.toMatchObject({ code: 'wallet.import_invalid' })
  })
})
