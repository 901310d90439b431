import { b64uEncode, type JsonObject } from '@bonafide/core'
import { createDidJwk, createDidKey, createDidResolver } from '@bonafide/did'
import { decodeJwsUnverified, signCompactJws } from '@bonafide/jose'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { dcApiSessionTranscript, presentMdoc } from '@bonafide/mdoc'
import { presentSdJwt } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { msoMdocValidator, sdJwtVcValidator } from '../src/formats/index.js'
import {
  createDcApiResponse,
  type DcApiAuthorizationRequest,
  encryptResponse,
  parseDcApiRequest,
  Verifier,
} from '../src/index.js'
import { issueTestMdoc, issueTestSdJwtVc } from './fixtures.js'

const NS = 'org.iso.18013.5.1'
const MDL = 'org.iso.18013.5.1.mDL'
const PID = 'urn:eudi:pid:1'
const ORIGIN = 'https://verifier.example'
const DCQL = {
  credentials: [
    { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['age_over_18'] }] },
    { id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: MDL }, claims: [{ path: [NS, 'age_over_18'] }] },
  ],
}

describe('Appendix A: dc_api.jwt, encrypted responses over the Digital Credentials API', async () => {
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
  const trust = { trustAnchors: [verifierPki.root.pem] }

  /** The wallet's presentations for a parsed DC API request: KB-JWT aud origin:…, mdoc DC API transcript with the key thumbprint. */
  async function vpToken(r: DcApiAuthorizationRequest, origin = r.origin) {
    const ph = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const mh = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const vc = await issueTestSdJwtVc(testIssuer, PID, { age_over_18: true }, ph.publicJwk)
    const mdoc = await issueTestMdoc(testIssuer, MDL, { [NS]: { age_over_18: true } }, mh.publicJwk)
    const transcript = dcApiSessionTranscript({ origin, nonce: r.nonce, jwkThumbprint: r.encryption?.thumbprint ?? null })
    return {
      pid: [await presentSdJwt(vc, { disclose: ['age_over_18'], kb: { signer: ph, aud: `origin:${origin}`, nonce: r.nonce } })],
      mdl: [
        b64uEncode(
          await presentMdoc({
            issuerSigned: mdoc,
            disclose: { [NS]: ['age_over_18'] },
            deviceSigner: mh,
            sessionTranscript: transcript,
          }),
        ),
      ],
    }
  }

  it('A.3 the signed request asks for dc_api.jwt with a fresh key; the wallet encrypts; the verifier decrypts and validates', async () => {
    const s = await verifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN], encrypt: true })
    expect(s.protocol).toBe('openid4vp-v1-signed')
    const p = decodeJwsUnverified(s.data.request).payload
    expect(p.response_mode).toBe('dc_api.jwt')
    expect(p.response_uri).toBeUndefined()
    const r = await parseDcApiRequest({ protocol: s.protocol, data: s.data }, { ...trust, origin: ORIGIN })
    expect(r).toMatchObject({
      clientId: 'x509_san_dns:verifier.example',
      audience: `origin:${ORIGIN}`,
      responseMode: 'dc_api.jwt',
    })
    const data = await createDcApiResponse(r, await vpToken(r))
    expect(Object.keys(data)).toEqual(['response'])
    expect(String(data.response).split('.')).toHaveLength(5)
    const result = await verifier.validateDcApiResponse(s.sessionId, data, ORIGIN)
    expect(result.valid).toBe(true)
    expect(result.credentials).toHaveLength(2)
    await expect(verifier.validateDcApiResponse(s.sessionId, data, ORIGIN)).rejects.toMatchObject({ code: 'openid4vp.replay' })
  })
  it('§8.3 a dc_api.jwt session refuses a plain vp_token, a response to another key, and garbage', async () => {
    for (const bad of ['plain', 'other-key', 'garbage', 'both'] as const) {
      const s = await verifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN], encrypt: true })
      const r = await parseDcApiRequest(s, { ...trust, origin: ORIGIN })
      const token = await vpToken(r)
      const other = await verifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN], encrypt: true })
      const otherReq = await parseDcApiRequest(other, { ...trust, origin: ORIGIN })
      const data =
        bad === 'plain'
          ? { vp_token: token }
          : bad === 'other-key'
            ? await createDcApiResponse(otherReq, token)
            : bad === 'garbage'
              ? { response: 'a.b.c.d.e' }
              : { ...(await createDcApiResponse(r, token)), vp_token: token }
      const result = await verifier.validateDcApiResponse(s.sessionId, data, ORIGIN)
      expect(result.valid, bad).toBe(false)
      expect(result.error?.code, bad).toBe('openid4vp.response_invalid')
    }
  })
  it('a plain dc_api session refuses an encrypted response', async () => {
    const s = await verifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN] })
    const r = await parseDcApiRequest(s, { ...trust, origin: ORIGIN })
    expect(r.responseMode).toBe('dc_api')
    const jwk = (await verifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN], encrypt: true })).data.request
    const key = decodeJwsUnverified(jwk).payload.client_metadata as { jwks: { keys: never[] } }
    const data = { response: await encryptResponse({ vp_token: await vpToken(r) }, key.jwks.keys[0] as never, 'A128GCM') }
    expect((await verifier.validateDcApiResponse(s.sessionId, data, ORIGIN)).error?.code).toBe('openid4vp.response_invalid')
    // unencrypted answer still works for that session
    const t = await verifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN] })
    const rt = await parseDcApiRequest(t, { ...trust, origin: ORIGIN })
    expect(
      (await verifier.validateDcApiResponse(t.sessionId, await createDcApiResponse(rt, await vpToken(rt)), ORIGIN)).valid,
    ).toBe(true)
  })
  it('A.2 the encrypted response is bound to the browser origin: another origin fails even when decryptable', async () => {
    const s = await verifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN, 'https://evil.example'], encrypt: true })
    const r = await parseDcApiRequest(s, { ...trust, origin: 'https://evil.example' })
    const data = await createDcApiResponse(r, await vpToken(r))
    expect((await verifier.validateDcApiResponse(s.sessionId, data, ORIGIN)).valid).toBe(false)
  })

  it('A.3 a decentralized_identifier verifier signs dc_api.jwt requests; the wallet authenticates them by the DID', async () => {
    const signer = signerFromPrivateJwk(generatePrivateJwk('EdDSA'))
    const didVerifier = new Verifier({
      clientId: `decentralized_identifier:${createDidKey(signer.publicJwk)}`,
      signer,
      responseUri: 'https://verifier.example/unused',
      validators: [
        sdJwtVcValidator({ issuerKeys: { trustAnchors: [issuerPki.root.pem], requireIssInSan: false } }),
        msoMdocValidator({ trustAnchors: [issuerPki.root.pem] }),
      ],
    })
    const s = await didVerifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN], encrypt: true })
    await expect(parseDcApiRequest(s, { ...trust, origin: ORIGIN })).rejects.toMatchObject({ code: 'openid4vp.client_untrusted' })
    const r = await parseDcApiRequest(s, { didResolver: createDidResolver(), origin: ORIGIN })
    expect(r.client?.prefix).toBe('decentralized_identifier')
    expect(
      (await didVerifier.validateDcApiResponse(s.sessionId, await createDcApiResponse(r, await vpToken(r)), ORIGIN)).valid,
    ).toBe(true)
  })

  describe('A.2 the wallet side of DC API requests', () => {
    it('refuses an origin missing from expected_origins, a signed request without expected_origins or client_id', async () => {
      const s = await verifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN], encrypt: true })
      await expect(parseDcApiRequest(s, { ...trust, origin: 'https://evil.example' })).rejects.toMatchObject({
        code: 'openid4vp.request_invalid',
      })
      const signer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
      const did = createDidJwk(signer.publicJwk)
      const base: JsonObject = { ...decodeJwsUnverified(s.data.request).payload, client_id: `decentralized_identifier:${did}` }
      const sign = (p: object) => signCompactJws({ typ: 'oauth-authz-req+jwt', kid: `${did}#0` }, p as never, signer)
      const didTrust = { didResolver: createDidResolver(), origin: ORIGIN }
      // control: a DID-signed DC API request with expected_origins is accepted
      expect(
        (await parseDcApiRequest({ protocol: 'openid4vp-v1-signed', data: { request: await sign(base) } }, didTrust)).clientId,
      ).toBe(`decentralized_identifier:${did}`)
      const { expected_origins: _e, ...noOrigins } = base
      const { client_id: _c, ...noClient } = base
      for (const p of [noOrigins, noClient, { ...base, expected_origins: [] }, { ...base, response_mode: 'direct_post' }])
        await expect(
          parseDcApiRequest({ protocol: 'openid4vp-v1-signed', data: { request: await sign(p) } }, didTrust),
        ).rejects.toMatchObject({ code: 'openid4vp.request_invalid' })
      await expect(parseDcApiRequest({ protocol: 'openid4vp-v1-multisigned', data: {} }, didTrust)).rejects.toMatchObject({
        code: 'openid4vp.request_invalid',
      })
    })
    it('A.2 unsigned requests: client_id and expected_origins are ignored; the audience is the origin', async () => {
      const key = (await verifier.createDcApiRequest(DCQL, { expectedOrigins: [ORIGIN], encrypt: true })).data.request
      const { client_metadata } = decodeJwsUnverified(key).payload
      const r = await parseDcApiRequest(
        {
          protocol: 'openid4vp-v1-unsigned',
          data: {
            response_type: 'vp_token',
            response_mode: 'dc_api.jwt',
            nonce: 'n-0S6_WzA2Mj',
            dcql_query: DCQL,
            client_metadata: client_metadata ?? null,
            client_id: 'x509_san_dns:spoofed.example',
            expected_origins: ['https://elsewhere.example'],
          },
        },
        { origin: ORIGIN },
      )
      expect(r.clientId).toBeUndefined()
      expect(r.audience).toBe(`origin:${ORIGIN}`)
      expect(r.encryption?.enc).toBe('A128GCM')
      await expect(
        parseDcApiRequest({ protocol: 'openid4vp-v1-unsigned', data: { request: key } }, { origin: ORIGIN }),
      ).rejects.toMatchObject({ code: 'openid4vp.request_invalid' })
    })
  })
})
