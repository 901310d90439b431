import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { b64uEncode, createSafeFetcher } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { openid4vpSessionTranscript, presentMdoc } from '@bonafide/mdoc'
import { createNodeListener } from '@bonafide/oauth2'
import { decodeSdJwt, presentSdJwt } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CredentialRecord, matchDcql } from '../src/dcql/index.js'
import { msoMdocValidator, sdJwtVcValidator } from '../src/formats/index.js'
import { parseAuthorizationRequest, postDirectResponse, Verifier } from '../src/index.js'
import { issueTestMdoc, issueTestSdJwtVc } from './fixtures.js'

const NS = 'org.iso.18013.5.1'
const MDL = 'org.iso.18013.5.1.mDL'
const PID = 'urn:eudi:pid:1'

describe('wallet ↔ verifier over real HTTP on 127.0.0.1: PID (SD-JWT VC) + mDL (mdoc) in one session', async () => {
  // The verifier's certificate names "localhost" (x509_san_dns), and its response URI lives there.
  const verifierPki = await createDevChain({ dnsNames: ['localhost'] })
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
      clientId: 'x509_san_dns:localhost',
      signer: signerFromPrivateJwk(verifierPki.leaf.key.export({ format: 'jwk' })),
      x5c: verifierPki.x5c,
      responseUri: `${base}/post`,
      redirectUri: `${base}/done`,
      validators: [
        sdJwtVcValidator({ issuerKeys: { trustAnchors: [issuerPki.root.pem], requireIssInSan: false } }),
        msoMdocValidator({ trustAnchors: [issuerPki.root.pem] }),
      ],
    })
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('the wallet checks the request, plans with DCQL, presents both credentials, the verifier accepts atomically', async () => {
    // Wallet holdings
    const pidHolder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const mdlHolder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const pid = await issueTestSdJwtVc(
      testIssuer,
      PID,
      { given_name: 'Erika', family_name: 'Mustermann', age_over_18: true },
      pidHolder.publicJwk,
    )
    const mdl = await issueTestMdoc(
      testIssuer,
      MDL,
      { [NS]: { age_over_18: true, driving_privileges: [{ vehicle_category_code: 'B' }], family_name: 'Mustermann' } },
      mdlHolder.publicJwk,
    )
    const records: CredentialRecord[] = [
      { id: 'pid', format: 'dc+sd-jwt', vct: PID, claims: decodeSdJwt(pid).claims },
      {
        id: 'mdl',
        format: 'mso_mdoc',
        doctype: MDL,
        claims: { [NS]: { age_over_18: true, driving_privileges: [{ vehicle_category_code: 'B' }], family_name: 'Mustermann' } },
      },
    ]
    // Verifier asks for age from the PID and driving privileges from the mDL
    const { sessionId, link } = await verifier.createRequest({
      credentials: [
        { id: 'age', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['age_over_18'], values: [true] }] },
        { id: 'drive', format: 'mso_mdoc', meta: { doctype_value: MDL }, claims: [{ path: [NS, 'driving_privileges'] }] },
      ],
    })
    // Wallet
    const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
    const request = await parseAuthorizationRequest(link, { trustAnchors: [verifierPki.root.pem], fetcher })
    expect(request.verifierSubject).toContain('Bonafide Test Leaf')
    if (!request.dcql) throw new Error('expected a DCQL request')
    const plan = matchDcql(request.dcql, records)
    expect(plan.satisfied).toBe(true)
    const age = plan.queries.age!.candidates[0]!
    const drive = plan.queries.drive!.candidates[0]!
    const vpToken = {
      age: [
        await presentSdJwt(pid, { disclose: age.claims, kb: { signer: pidHolder, aud: request.clientId, nonce: request.nonce } }),
      ],
      drive: [
        b64uEncode(
          await presentMdoc({
            issuerSigned: mdl,
            disclose: { [NS]: drive.claims.map((p) => String(p[1])) },
            deviceSigner: mdlHolder,
            sessionTranscript: openid4vpSessionTranscript({
              clientId: request.clientId,
              nonce: request.nonce,
              responseUri: request.responseUri,
            }),
          }),
        ),
      ],
    }
    const answer = await postDirectResponse(fetcher, request, vpToken)
    expect(String(answer.redirect_uri)).toMatch(/#response_code=/)
    const result = await verifier.result(sessionId)
    expect(result?.valid).toBe(true)
    expect(result?.credentials.map((c) => c.claims[0])).toEqual([
      { age_over_18: true, iss: 'https://issuer.example', iat: expect.any(Number), vct: PID, cnf: expect.any(Object) },
      { [NS]: { driving_privileges: [{ vehicle_category_code: 'B' }] } },
    ])
    const code = String(answer.redirect_uri).split('response_code=')[1] as string
    expect((await verifier.resultByResponseCode(code))?.valid).toBe(true)
    expect(await verifier.resultByResponseCode(code)).toBeUndefined()
    // The same response replayed into the session is refused (state used once).
    await expect(postDirectResponse(fetcher, request, vpToken)).rejects.toMatchObject({ code: 'openid4vp.response_invalid' })
  })

  it('the wallet refuses a request signed under an untrusted root or naming another host', async () => {
    const { link } = await verifier.createRequest({
      credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [PID] } }],
    })
    const other = await createDevChain()
    await expect(parseAuthorizationRequest(link, { trustAnchors: [other.root.pem] })).rejects.toMatchObject({
      code: 'jose.x5c_untrusted',
    })
    const tampered = link.replace('client_id=x509_san_dns%3Alocalhost', 'client_id=x509_san_dns%3Aevil.example')
    await expect(parseAuthorizationRequest(tampered, { trustAnchors: [verifierPki.root.pem] })).rejects.toMatchObject({
      code: 'openid4vp.request_invalid',
    })
  })
})

describe('direct_post.jwt (§8.3): encrypted responses with a fresh key per request', async () => {
  const verifierPki = await createDevChain({ dnsNames: ['localhost'] })
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
      clientId: 'x509_san_dns:localhost',
      signer: signerFromPrivateJwk(verifierPki.leaf.key.export({ format: 'jwk' })),
      x5c: verifierPki.x5c,
      responseUri: `${base}/post`,
      responseMode: 'direct_post.jwt',
      validators: [msoMdocValidator({ trustAnchors: [issuerPki.root.pem] })],
    })
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('the mdoc transcript binds the encryption key thumbprint; a plain response is refused for this session', async () => {
    const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const mdl = await issueTestMdoc(testIssuer, MDL, { [NS]: { age_over_18: true } }, holder.publicJwk)
    const dcql = {
      credentials: [{ id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: MDL }, claims: [{ path: [NS, 'age_over_18'] }] }],
    }
    const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
    const a = await verifier.createRequest(dcql)
    const b = await verifier.createRequest(dcql)
    const ra = await parseAuthorizationRequest(a.link, { trustAnchors: [verifierPki.root.pem] })
    const rb = await parseAuthorizationRequest(b.link, { trustAnchors: [verifierPki.root.pem] })
    expect(ra.encryption?.jwk.x).not.toBe(rb.encryption?.jwk.x) // fresh key per request
    const present = async (req: typeof ra) =>
      b64uEncode(
        await presentMdoc({
          issuerSigned: mdl,
          disclose: { [NS]: ['age_over_18'] },
          deviceSigner: holder,
          sessionTranscript: openid4vpSessionTranscript({
            clientId: req.clientId,
            nonce: req.nonce,
            responseUri: req.responseUri,
            jwkThumbprint: req.encryption?.thumbprint ?? null,
          }),
        }),
      )
    await postDirectResponse(fetcher, ra, { mdl: [await present(ra)] })
    expect((await verifier.result(a.sessionId))?.valid).toBe(true)
    // unencrypted answer to an encrypted session
    await expect(
      postDirectResponse(fetcher, { ...rb, encryption: undefined } as never, { mdl: [await present(rb)] }),
    ).rejects.toMatchObject({ code: 'openid4vp.response_invalid' })
  })
})

describe('client_id prefix x509_hash (§5.9.3)', async () => {
  const { digestB64u } = await import('@bonafide/core')
  const pki = await createDevChain()
  it('the wallet accepts the hash of the leaf certificate and refuses another', async () => {
    const hash = digestB64u('sha-256', pki.leaf.der)
    const mk = (clientId: string) =>
      new Verifier({
        clientId,
        signer: signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' })),
        x5c: pki.x5c,
        responseUri: 'https://verifier.example/post',
        validators: [],
      })
    const dcql = { credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [PID] } }] }
    const ok = await mk(`x509_hash:${hash}`).createRequest(dcql)
    expect((await parseAuthorizationRequest(ok.link, { trustAnchors: [pki.root.pem] })).clientId).toBe(`x509_hash:${hash}`)
    const bad = await mk(`x509_hash:${'A'.repeat(43)}`).createRequest(dcql)
    await expect(parseAuthorizationRequest(bad.link, { trustAnchors: [pki.root.pem] })).rejects.toMatchObject({
      code: 'openid4vp.client_untrusted',
    })
    const unknown = await mk('redirect_uri:https://verifier.example/post').createRequest(dcql)
    await expect(parseAuthorizationRequest(unknown.link, { trustAnchors: [pki.root.pem] })).rejects.toMatchObject({
      code: 'openid4vp.client_untrusted',
    })
  })
})

describe('Digital Credentials API (Appendix A, dc_api): origin binding', async () => {
  const { dcApiSessionTranscript } = await import('@bonafide/mdoc')
  const verifierPki = await createDevChain({ dnsNames: ['verifier.example'] })
  const issuerPki = await createDevChain()
  const issuer = signerFromPrivateJwk(issuerPki.leaf.key.export({ format: 'jwk' }))
  const testIssuer = { signer: issuer, pki: issuerPki }
  const verifier = new Verifier({
    clientId: 'x509_san_dns:verifier.example',
    signer: signerFromPrivateJwk(verifierPki.leaf.key.export({ format: 'jwk' })),
    x5c: verifierPki.x5c,
    responseUri: 'https://verifier.example/unused',
    validators: [
      sdJwtVcValidator({ issuerKeys: { trustAnchors: [issuerPki.root.pem], requireIssInSan: false } }),
      msoMdocValidator({ trustAnchors: [issuerPki.root.pem] }),
    ],
  })
  const ORIGIN = 'https://verifier.example'
  const dcql = {
    credentials: [
      { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['age_over_18'] }] },
      { id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: MDL }, claims: [{ path: [NS, 'age_over_18'] }] },
    ],
  }
  async function answer(nonce: string, origin: string) {
    const ph = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const mh = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const vc = await issueTestSdJwtVc(testIssuer, PID, { age_over_18: true }, ph.publicJwk)
    const mdoc = await issueTestMdoc(testIssuer, MDL, { [NS]: { age_over_18: true } }, mh.publicJwk)
    return {
      vp_token: {
        pid: [await presentSdJwt(vc, { disclose: ['age_over_18'], kb: { signer: ph, aud: `origin:${origin}`, nonce } })],
        mdl: [
          b64uEncode(
            await presentMdoc({
              issuerSigned: mdoc,
              disclose: { [NS]: ['age_over_18'] },
              deviceSigner: mh,
              sessionTranscript: dcApiSessionTranscript({ origin, nonce }),
            }),
          ),
        ],
      },
    }
  }
  it('accepts a response bound to the browser-reported origin; refuses another origin and a replay', async () => {
    const s = await verifier.createDcApiRequest(dcql, { expectedOrigins: [ORIGIN] })
    const r = await verifier.validateDcApiResponse(s.sessionId, await answer(s.nonce, ORIGIN), ORIGIN)
    expect(r.valid).toBe(true)
    await expect(verifier.validateDcApiResponse(s.sessionId, await answer(s.nonce, ORIGIN), ORIGIN)).rejects.toMatchObject({
      code: 'openid4vp.replay',
    })
    const t = await verifier.createDcApiRequest(dcql, { expectedOrigins: [ORIGIN] })
    expect(
      (await verifier.validateDcApiResponse(t.sessionId, await answer(t.nonce, 'https://evil.example'), 'https://evil.example'))
        .valid,
    ).toBe(false)
    const u = await verifier.createDcApiRequest(dcql, { expectedOrigins: [ORIGIN, 'https://evil.example'] })
    // presentations made for one origin do not verify when the browser reports another
    const mismatch = await verifier.validateDcApiResponse(u.sessionId, await answer(u.nonce, 'https://evil.example'), ORIGIN)
    expect(mismatch.valid).toBe(false)
    expect(mismatch.credentials.map((c) => c.error?.code)).toEqual(['sd_jwt.kb_aud_mismatch', 'mdoc.device_signature_invalid'])
  })
})
