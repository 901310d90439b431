import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSafeFetcher, FakeClock, type Fetcher, type JsonObject } from '@bonafide/core'
import { createDidJwk, createDidKey, createDidResolver, createDidWebDocument } from '@bonafide/did'
import { decodeJwsUnverified, signCompactJws } from '@bonafide/jose'
import { generatePrivateJwk, type Signer, signerFromPrivateJwk } from '@bonafide/keys'
import { createNodeListener } from '@bonafide/oauth2'
import { presentSdJwt } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVerifierAttestation, parseClientId } from '../src/client-id/index.js'
import { sdJwtVcValidator } from '../src/formats/index.js'
import { parseAuthorizationRequest, postDirectResponse, Verifier } from '../src/index.js'
import { issueTestSdJwtVc } from './fixtures.js'

const PID = 'urn:eudi:pid:1'
const DCQL = {
  credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['age_over_18'] }] }],
}
const key = (alg: 'ES256' | 'EdDSA' = 'ES256') => signerFromPrivateJwk(generatePrivateJwk(alg))
const mk = (o: Partial<ConstructorParameters<typeof Verifier>[0]> & { clientId: string }) =>
  new Verifier({ responseUri: 'https://verifier.example/post', validators: [], ...o })
const payloadOf = (link: string) => decodeJwsUnverified(new URL(link).searchParams.get('request') as string).payload
/** Re-sign a verifier's request object with another header/payload (to build requests an honest verifier would not). */
async function forge(link: string, header: JsonObject, signer: Signer, change: JsonObject = {}): Promise<string> {
  const p = { ...payloadOf(link), ...change }
  const jws = await signCompactJws({ typ: 'oauth-authz-req+jwt', ...header }, p, signer)
  return `openid4vp://?client_id=${encodeURIComponent(String(p.client_id))}&request=${jws}`
}

describe('§5.9.1 client_id syntax', () => {
  it('splits at the first colon; refuses pre-registered, origin: and unknown prefixes', () => {
    expect(parseClientId('decentralized_identifier:did:key:z6Mk')).toEqual({
      prefix: 'decentralized_identifier',
      value: 'did:key:z6Mk',
    })
    for (const c of ['verifier', 'origin:https://a.example', 'openid_federation:https://a.example', 'x509_san_uri:a'])
      expect(() => parseClientId(c)).toThrow(expect.objectContaining({ code: 'openid4vp.client_untrusted' }))
    expect(() => parseClientId('x509_san_dns:')).toThrow(expect.objectContaining({ code: 'openid4vp.request_invalid' }))
  })
})

describe('§5.9.3 redirect_uri: unsigned requests, the response URI is the client_id value', async () => {
  const issuerPki = await createDevChain()
  const issuer = signerFromPrivateJwk(issuerPki.leaf.key.export({ format: 'jwk' }))
  const testIssuer = { signer: issuer, pki: issuerPki }
  let verifier: Verifier
  let base = ''
  const server = createServer(createNodeListener((r) => verifier.handleResponse(r), { origin: () => base }))
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://localhost:${(server.address() as AddressInfo).port}`
    verifier = new Verifier({
      clientId: `redirect_uri:${base}/post`,
      responseUri: `${base}/post`,
      validators: [sdJwtVcValidator({ issuerKeys: { trustAnchors: [issuerPki.root.pem], requireIssInSan: false } })],
    })
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('the verifier sends the parameters unsigned; an opted-in wallet parses them and the presentation is accepted', async () => {
    const { link, sessionId, requestObject } = await verifier.createRequest(DCQL)
    expect(requestObject).toBeUndefined()
    const url = new URL(link)
    expect(url.searchParams.has('request')).toBe(false)
    expect(url.searchParams.get('response_uri')).toBe(`${base}/post`)
    const request = await parseAuthorizationRequest(link, { allowRedirectUri: true })
    expect(request).toMatchObject({
      clientIdPrefix: 'redirect_uri',
      clientId: `redirect_uri:${base}/post`,
      responseUri: `${base}/post`,
    })
    expect(request.client).toBeUndefined()
    const holder = key()
    const vc = await issueTestSdJwtVc(testIssuer, PID, { age_over_18: true }, holder.publicJwk)
    const vp = await presentSdJwt(vc, {
      disclose: ['age_over_18'],
      kb: { signer: holder, aud: request.clientId, nonce: request.nonce },
    })
    await postDirectResponse(createSafeFetcher({ allowHttp: true, allowLoopback: true }), request, { pid: [vp] })
    expect((await verifier.result(sessionId))?.valid).toBe(true)
  })
  it('§5.9.3 the wallet refuses redirect_uri unless enabled, and a signed request under it', async () => {
    const { link } = await verifier.createRequest(DCQL)
    await expect(parseAuthorizationRequest(link, {})).rejects.toMatchObject({ code: 'openid4vp.client_untrusted' })
    const jws = await signCompactJws({ typ: 'oauth-authz-req+jwt' }, { ...Object.fromEntries(new URL(link).searchParams) }, key())
    const cid = encodeURIComponent(`redirect_uri:${base}/post`)
    for (const l of [
      `openid4vp://?client_id=${cid}&request=${jws}`,
      `openid4vp://?client_id=${cid}&request_uri=${encodeURIComponent(`${base}/r`)}`,
    ])
      await expect(parseAuthorizationRequest(l, { allowRedirectUri: true, fetcher: createSafeFetcher() })).rejects.toMatchObject({
        code: 'openid4vp.client_untrusted',
      })
  })
  it('§5.9.3 the wallet refuses a response_uri other than the client_id value, and redirect_uri beside it', async () => {
    const { link } = await verifier.createRequest(DCQL)
    const other = new URL(link)
    other.searchParams.set('response_uri', 'https://evil.example/post')
    await expect(parseAuthorizationRequest(other.toString(), { allowRedirectUri: true })).rejects.toMatchObject({
      code: 'openid4vp.client_untrusted',
    })
    const both = new URL(link)
    both.searchParams.set('redirect_uri', `${base}/post`)
    await expect(parseAuthorizationRequest(both.toString(), { allowRedirectUri: true })).rejects.toMatchObject({
      code: 'openid4vp.request_invalid',
    })
    const omitted = new URL(link)
    omitted.searchParams.delete('response_uri') // MAY be omitted: it is the client_id value
    expect((await parseAuthorizationRequest(omitted.toString(), { allowRedirectUri: true })).responseUri).toBe(`${base}/post`)
  })
  it('§5.9.3 the verifier refuses a response URI that is not its redirect_uri client_id, and request_uri', async () => {
    expect(() => mk({ clientId: 'redirect_uri:https://verifier.example/other' })).toThrow(
      expect.objectContaining({ code: 'openid4vp.request_invalid' }),
    )
    await expect(verifier.createRequest(DCQL, { requestUriMethod: 'post' })).rejects.toMatchObject({
      code: 'openid4vp.request_invalid',
    })
  })
})

describe('§5.9.3 decentralized_identifier: the JWS kid is a verification method of the client_id DID', () => {
  const resolver = createDidResolver()
  it.each([
    ['did:jwk', 'ES256', createDidJwk],
    ['did:key', 'EdDSA', createDidKey],
  ] as const)('%s (%s): the verifier derives the kid, the wallet resolves and verifies', async (_m, alg, create) => {
    const signer = key(alg)
    const did = create(signer.publicJwk)
    const { link } = await mk({ clientId: `decentralized_identifier:${did}`, signer }).createRequest(DCQL)
    const header = decodeJwsUnverified(new URL(link).searchParams.get('request') as string).header
    expect(String(header.kid).startsWith(`${did}#`)).toBe(true)
    const r = await parseAuthorizationRequest(link, { didResolver: resolver })
    expect(r.clientIdPrefix).toBe('decentralized_identifier')
    expect(r.client?.verificationMethod?.id).toBe(header.kid)
    // not enabled without a resolver
    await expect(parseAuthorizationRequest(link, {})).rejects.toMatchObject({ code: 'openid4vp.client_untrusted' })
  })
  it('§5.9.3 refuses a missing kid, a kid of another DID, and a signature by another key', async () => {
    const signer = key()
    const did = createDidJwk(signer.publicJwk)
    const { link } = await mk({ clientId: `decentralized_identifier:${did}`, signer }).createRequest(DCQL)
    // control: re-signing as the honest verifier would passes
    expect(
      (await parseAuthorizationRequest(await forge(link, { kid: `${did}#0` }, signer), { didResolver: resolver })).nonce,
    ).toBeTruthy()
    await expect(parseAuthorizationRequest(await forge(link, {}, signer), { didResolver: resolver })).rejects.toMatchObject({
      code: 'openid4vp.request_invalid',
    })
    await expect(
      parseAuthorizationRequest(await forge(link, { kid: 'key-1' }, signer), { didResolver: resolver }),
    ).rejects.toMatchObject({
      code: 'openid4vp.request_invalid',
    })
    const mallory = key()
    const malloryDid = createDidJwk(mallory.publicJwk)
    await expect(
      parseAuthorizationRequest(await forge(link, { kid: `${malloryDid}#0` }, mallory), { didResolver: resolver }),
    ).rejects.toMatchObject({ code: 'openid4vp.client_untrusted' })
    await expect(
      parseAuthorizationRequest(await forge(link, { kid: `${did}#0` }, mallory), { didResolver: resolver }),
    ).rejects.toMatchObject({
      code: 'openid4vp.client_untrusted',
    })
    await expect(
      parseAuthorizationRequest(await forge(link, { kid: `${did}#1` }, signer), { didResolver: resolver }),
    ).rejects.toMatchObject({
      code: 'openid4vp.client_untrusted',
    })
    await expect(
      parseAuthorizationRequest(
        await forge(link, { kid: `${did}#0` }, signer, { client_id: 'decentralized_identifier:example' }),
        {
          didResolver: resolver,
        },
      ),
    ).rejects.toMatchObject({ code: 'openid4vp.request_invalid' })
  })
  it('§5.10.1 outer and inner client_id must be identical, prefix included', async () => {
    const signer = key()
    const did = createDidJwk(signer.publicJwk)
    const { link } = await mk({ clientId: `decentralized_identifier:${did}`, signer }).createRequest(DCQL)
    const other = createDidJwk(key().publicJwk)
    for (const outer of [`decentralized_identifier:${other}`, `x509_san_dns:verifier.example`])
      await expect(
        parseAuthorizationRequest(link.replace(/client_id=[^&]*/, `client_id=${encodeURIComponent(outer)}`), {
          didResolver: resolver,
        }),
      ).rejects.toMatchObject({ code: 'openid4vp.request_invalid' })
  })
  it('the verifier refuses a kid of another DID and a signer that is not the DID key', () => {
    const signer = key()
    const did = createDidJwk(signer.publicJwk)
    expect(() => mk({ clientId: `decentralized_identifier:${did}`, signer, kid: `${createDidJwk(key().publicJwk)}#0` })).toThrow(
      expect.objectContaining({ code: 'openid4vp.request_invalid' }),
    )
    expect(() => mk({ clientId: `decentralized_identifier:${did}`, signer: key() })).toThrow(
      expect.objectContaining({ code: 'openid4vp.request_invalid' }),
    )
    expect(() => mk({ clientId: `decentralized_identifier:${did}` })).toThrow(
      expect.objectContaining({ code: 'openid4vp.request_invalid' }),
    )
  })

  describe('did:web over real HTTP on 127.0.0.1', () => {
    const docs = new Map<string, string>()
    const server = createServer((req, res) => {
      const body = docs.get(req.url ?? '')
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/did+json' })
      res.end(body ?? '')
    })
    let host = ''
    const safe = createSafeFetcher({ allowHttp: true, allowLoopback: true })
    const fetcher: Fetcher = (url, req) => safe(url.replace(/^https:/, 'http:'), req) // did:web is https-only; the test server is not
    beforeAll(async () => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      host = `127.0.0.1%3A${(server.address() as AddressInfo).port}`
    })
    afterAll(() => new Promise<void>((r) => server.close(() => r())))

    it('resolves the DID document; only authentication or assertionMethod keys may sign', async () => {
      const signer = key()
      const agreement = key()
      const did = `did:web:${host}:verifier`
      docs.set(
        '/verifier/did.json',
        JSON.stringify(
          createDidWebDocument({
            did,
            keys: [
              { publicJwk: signer.publicJwk, fragment: 'sig' },
              { publicJwk: agreement.publicJwk, fragment: 'ka', relationships: ['keyAgreement'] },
            ],
          }),
        ),
      )
      const didResolver = createDidResolver({ fetcher })
      const { link } = await mk({ clientId: `decentralized_identifier:${did}`, signer, kid: `${did}#sig` }).createRequest(DCQL)
      expect((await parseAuthorizationRequest(link, { didResolver })).client?.verificationMethod?.id).toBe(`${did}#sig`)
      await expect(
        parseAuthorizationRequest(await forge(link, { kid: `${did}#ka` }, agreement), { didResolver }),
      ).rejects.toMatchObject({
        code: 'openid4vp.client_untrusted',
      })
      const gone = await mk({
        clientId: `decentralized_identifier:did:web:${host}:gone`,
        signer,
        kid: `did:web:${host}:gone#sig`,
      }).createRequest(DCQL)
      await expect(parseAuthorizationRequest(gone.link, { didResolver })).rejects.toMatchObject({
        code: 'openid4vp.client_untrusted',
      })
    })
  })
})

describe('§5.9.3 verifier_attestation (§12): the jwt header carries an attestation binding sub to the signing key', () => {
  const attester = key()
  const ISS = 'https://attester.example'
  const issuers = [{ iss: ISS, keys: [attester.publicJwk] }]
  const clientId = 'verifier_attestation:verifier.example'
  const attest = (signer: Signer, o: Partial<Parameters<typeof createVerifierAttestation>[0]> = {}) =>
    createVerifierAttestation({ signer: attester, iss: ISS, sub: 'verifier.example', cnfJwk: signer.publicJwk, ...o })

  it('the wallet verifies the attestation against trusted issuers and the request against cnf.jwk', async () => {
    const signer = key()
    const { link } = await mk({ clientId, signer, attestation: await attest(signer) }).createRequest(DCQL)
    const r = await parseAuthorizationRequest(link, { attestationIssuers: issuers })
    expect(r.client?.attestation).toMatchObject({ iss: ISS, sub: 'verifier.example' })
    await expect(parseAuthorizationRequest(link, {})).rejects.toMatchObject({ code: 'openid4vp.client_untrusted' })
  })
  it('§12 refuses an untrusted issuer, another sub, a request not signed by cnf, expiry, wrong typ, no exp, no jwt', async () => {
    const signer = key()
    const good = await attest(signer)
    const { link } = await mk({ clientId, signer, attestation: good }).createRequest(DCQL)
    const other = key()
    const clock = new FakeClock(Date.now())
    // control: re-signing as the honest verifier would passes
    expect(
      (await parseAuthorizationRequest(await forge(link, { jwt: good }, signer), { attestationIssuers: issuers })).nonce,
    ).toBeTruthy()
    const cases: [string, Promise<string>][] = [
      [
        'untrusted issuer key',
        forge(
          link,
          {
            jwt: await createVerifierAttestation({ signer: other, iss: ISS, sub: 'verifier.example', cnfJwk: signer.publicJwk }),
          },
          signer,
        ),
      ],
      ['unknown iss', forge(link, { jwt: await attest(signer, { iss: 'https://other.example' }) }, signer)],
      ['sub is another client', forge(link, { jwt: await attest(signer, { sub: 'other.example' }) }, signer)],
      ['request signed by another key than cnf', forge(link, { jwt: good }, other)],
      ['expired', forge(link, { jwt: await attest(signer, { clock: { now: () => clock.now() - 2 * 86_400_000 } }) }, signer)],
      [
        'wrong typ',
        forge(link, { jwt: await signCompactJws({ typ: 'JWT' }, decodeJwsUnverified(good).payload, attester) }, signer),
      ],
      [
        'no exp',
        forge(
          link,
          {
            jwt: await signCompactJws(
              { typ: 'verifier-attestation+jwt' },
              { ...decodeJwsUnverified(good).payload, exp: undefined } as unknown as JsonObject,
              attester,
            ),
          },
          signer,
        ),
      ],
      ['no jwt header', forge(link, {}, signer)],
    ]
    for (const [name, l] of cases)
      await expect(parseAuthorizationRequest(await l, { attestationIssuers: issuers }), name).rejects.toMatchObject({
        code: 'openid4vp.client_untrusted',
      })
  })
  it('§5.9.3 with redirect_uris in the attestation, the response URI must be one of them', async () => {
    const signer = key()
    const listed = await mk({
      clientId,
      signer,
      attestation: await attest(signer, { redirectUris: ['https://verifier.example/post'] }),
    }).createRequest(DCQL)
    expect((await parseAuthorizationRequest(listed.link, { attestationIssuers: issuers })).responseUri).toBe(
      'https://verifier.example/post',
    )
    const unlisted = await mk({
      clientId,
      signer,
      attestation: await attest(signer, { redirectUris: ['https://verifier.example/cb'] }),
    }).createRequest(DCQL)
    await expect(parseAuthorizationRequest(unlisted.link, { attestationIssuers: issuers })).rejects.toMatchObject({
      code: 'openid4vp.client_untrusted',
    })
  })
  it('the verifier refuses an attestation for another sub or another key, or none', async () => {
    const signer = key()
    for (const attestation of [await attest(signer, { sub: 'other.example' }), await attest(key()), undefined])
      expect(() => mk({ clientId, signer, ...(attestation ? { attestation } : {}) })).toThrow(
        expect.objectContaining({ code: 'openid4vp.request_invalid' }),
      )
  })
})
