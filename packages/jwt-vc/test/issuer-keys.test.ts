import { b64uEncode } from '@bonafide/core'
import { type DidDocument, resolveDid } from '@bonafide/did'
import { createDevChain } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { issueJwtVc, verifyJwtVc } from '../src/index.js'
import { clock, decodePart, degree, didIssuer, newSigner, signRaw, swapPayload } from './helpers.js'

describe('issuer keys', () => {
  it('VC-JOSE-COSE §4.1/§4.2: a did:jwk and a did:key issuer verify through assertionMethod, kid a DID URL', async () => {
    for (const [m, alg] of [
      ['jwk', 'ES256'],
      ['key', 'ES256'],
      ['key', 'EdDSA'],
    ] as const) {
      const { signer, did, kid } = didIssuer(m, alg)
      for (const version of ['1.1', '2.0'] as const) {
        const jwt = await issueJwtVc({ signer, issuer: did, credential: degree, version, clock })
        expect(decodePart(jwt, 0).kid).toBe(kid)
        const r = await verifyJwtVc(jwt, { issuerKeys: { did: true }, clock })
        expect(r.issuer).toBe(did)
      }
    }
  })

  it('DID Core §5.3.2 rejects a key that is not listed under assertionMethod', async () => {
    const { signer, did, kid } = didIssuer('jwk')
    const authOnly = (d: string): DidDocument => ({ ...resolveDid(d), assertionMethod: [] })
    const jwt = await issueJwtVc({ signer, issuer: did, credential: degree, clock })
    await expect(verifyJwtVc(jwt, { issuerKeys: { did: { resolve: authOnly } }, clock })).rejects.toMatchObject({
      code: 'jwt_vc.key_not_authorized',
    })
    const asyncOk = async (d: string) => resolveDid(d)
    expect((await verifyJwtVc(jwt, { issuerKeys: { did: { resolve: asyncOk } }, clock })).header.kid).toBe(kid)
  })

  it('§4.1 rejects a kid that names another DID than the issuer, or an unknown fragment', async () => {
    const a = didIssuer('jwk')
    const b = didIssuer('key')
    const other = await issueJwtVc({ signer: a.signer, issuer: a.did, kid: b.kid, credential: degree, clock })
    await expect(verifyJwtVc(other, { issuerKeys: { did: true }, clock })).rejects.toMatchObject({ code: 'jwt_vc.kid_invalid' })
    const unknown = await issueJwtVc({ signer: a.signer, issuer: a.did, kid: `${a.did}#1`, credential: degree, clock })
    await expect(verifyJwtVc(unknown, { issuerKeys: { did: true }, clock })).rejects.toMatchObject({ code: 'jwt_vc.kid_invalid' })
  })

  it('a DID issuer whose key did not sign fails the signature check', async () => {
    const a = didIssuer('jwk')
    const mallory = newSigner()
    const forged = await issueJwtVc({ signer: mallory, issuer: a.did, credential: degree, clock })
    await expect(verifyJwtVc(forged, { issuerKeys: { did: true }, clock })).rejects.toMatchObject({
      code: 'jwt_vc.signature_invalid',
    })
  })

  it('static keys per issuer; an issuer outside the policy is untrusted', async () => {
    const s = newSigner()
    const jwt = await issueJwtVc({ signer: s, issuer: 'https://issuer.example', credential: degree, clock })
    expect((await verifyJwtVc(jwt, { issuerKeys: { keys: { 'https://issuer.example': [s.publicJwk] } }, clock })).issuer).toBe(
      'https://issuer.example',
    )
    await expect(
      verifyJwtVc(jwt, { issuerKeys: { keys: { 'https://other.example': [s.publicJwk] } }, clock }),
    ).rejects.toMatchObject({
      code: 'jwt_vc.issuer_untrusted',
    })
    await expect(verifyJwtVc(jwt, { issuerKeys: {}, clock })).rejects.toMatchObject({ code: 'jwt_vc.issuer_untrusted' })
    // A DID issuer is not resolved unless the policy allows DIDs.
    const d = didIssuer()
    const didJwt = await issueJwtVc({ signer: d.signer, issuer: d.did, credential: degree, clock })
    await expect(verifyJwtVc(didJwt, { issuerKeys: { keys: [s.publicJwk] }, clock })).rejects.toMatchObject({
      code: 'jwt_vc.signature_invalid',
    })
  })

  it('x5c chains to a trust anchor, with the HTTPS issuer in the leaf subjectAltName', async () => {
    const chain = await createDevChain({ dnsNames: ['issuer.example'], now: clock.now() })
    const { signerFromPrivateJwk, exportPrivateJwk } = await import('@bonafide/keys')
    const signer = signerFromPrivateJwk(exportPrivateJwk(chain.leaf.key))
    const policy = { trustAnchors: [chain.root.pem] }
    const jwt = await issueJwtVc({ signer, issuer: 'https://issuer.example', x5c: chain.x5c, credential: degree, clock })
    expect((await verifyJwtVc(jwt, { issuerKeys: policy, clock })).issuer).toBe('https://issuer.example')
    const wrongName = await issueJwtVc({ signer, issuer: 'https://evil.example', x5c: chain.x5c, credential: degree, clock })
    await expect(verifyJwtVc(wrongName, { issuerKeys: policy, clock })).rejects.toMatchObject({ code: 'jwt_vc.issuer_untrusted' })
    const other = await createDevChain({ now: clock.now() })
    await expect(verifyJwtVc(jwt, { issuerKeys: { trustAnchors: [other.root.pem] }, clock })).rejects.toMatchObject({
      code: 'jwt_vc.issuer_untrusted',
    })
  })

  it('RFC 7515 §4.1.1 / RFC 7518 §3.6 refuses unsigned (alg none) and HMAC JWTs', async () => {
    const s = newSigner()
    const jwt = await issueJwtVc({ signer: s, issuer: 'https://issuer.example', credential: degree, clock })
    const [, p] = jwt.split('.')
    for (const alg of ['none', 'None', 'HS256']) {
      const h = b64uEncode(JSON.stringify({ alg, typ: 'JWT' }))
      for (const sig of ['', 'AAAA'])
        await expect(verifyJwtVc(`${h}.${p}.${sig}`, { issuerKeys: { keys: [s.publicJwk] }, clock })).rejects.toMatchObject({
          code: sig === '' ? 'jwt_vc.malformed' : 'jwt_vc.alg_invalid',
        })
    }
  })

  it('rejects a bad signature: tampered payload, other key, algorithms not allowed', async () => {
    const s = newSigner()
    const policy = { keys: [s.publicJwk] }
    const jwt = await issueJwtVc({ signer: s, issuer: 'https://issuer.example', credential: degree, clock })
    const p = decodePart(jwt, 1)
    const tampered = swapPayload(jwt, { ...p, vc: { ...(p.vc as object), credentialSubject: { degree: 'PhD' } } })
    await expect(verifyJwtVc(tampered, { issuerKeys: policy, clock })).rejects.toMatchObject({ code: 'jwt_vc.signature_invalid' })
    await expect(verifyJwtVc(jwt, { issuerKeys: { keys: [newSigner().publicJwk] }, clock })).rejects.toMatchObject({
      code: 'jwt_vc.signature_invalid',
    })
    await expect(verifyJwtVc(jwt, { issuerKeys: policy, clock, algorithms: ['EdDSA'] })).rejects.toMatchObject({
      code: 'jwt_vc.alg_invalid',
    })
    const raw = await signRaw({ typ: 'JWT' }, p, s)
    expect((await verifyJwtVc(raw, { issuerKeys: policy, clock })).issuer).toBe('https://issuer.example')
  })
})
