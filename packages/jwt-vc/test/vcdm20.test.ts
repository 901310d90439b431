import { describe, expect, it } from 'vitest'
import { issueJwtVc, VCDM2_CONTEXT, verifyJwtVc } from '../src/index.js'
import { clock, decodePart, didIssuer, NOW, newSigner, signRaw } from './helpers.js'

const issuer = newSigner()
const ISS = 'https://university.example/issuers/565049'
const keys = { keys: [issuer.publicJwk] }

// VCDM 2.0 §1.? example and VC-JOSE-COSE §3.1.1 example (shapes, re-signed with a test key).
const alumni = {
  '@context': [VCDM2_CONTEXT, 'https://www.w3.org/ns/credentials/examples/v2'],
  id: 'http://university.example/credentials/1872',
  type: ['VerifiableCredential', 'ExampleAlumniCredential'],
  issuer: ISS,
  validFrom: '2010-01-01T19:23:24Z',
  credentialSchema: { id: 'https://example.org/examples/degree.json', type: 'JsonSchema' },
  credentialSubject: { id: 'did:example:123', degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' } },
}

describe('VCDM 2.0 secured with VC-JOSE-COSE (vc+jwt)', () => {
  it('§3.1.1 the credential is the payload: typ vc+jwt, cty vc, no vc/vp claims', async () => {
    const jwt = await issueJwtVc({ signer: issuer, version: '2.0', credential: alumni, clock, validForSeconds: 86400 })
    expect(decodePart(jwt, 0)).toMatchObject({ typ: 'vc+jwt', cty: 'vc', alg: 'ES256' })
    const p = decodePart(jwt, 1)
    expect(p).toMatchObject({ ...alumni, iss: ISS, iat: NOW, exp: NOW + 86400, validUntil: '2026-11-23T15:30:00Z' })
    expect(p).not.toHaveProperty('vc')
    const r = await verifyJwtVc(jwt, { issuerKeys: keys, clock })
    expect(r.version).toBe('2.0')
    expect(r.credential).toEqual({ ...alumni, validUntil: '2026-11-23T15:30:00Z' })
    expect(r.types).toContain('ExampleAlumniCredential')
    expect(r.subjectId).toBe('did:example:123')
  })

  it('VC-JOSE-COSE example shape verifies as signed by hand (issuer object, no JWT claims, typ application/vc+jwt)', async () => {
    const cred = { ...alumni, issuer: { id: ISS, name: 'Example University' } }
    for (const typ of ['vc+jwt', 'application/vc+jwt']) {
      const jwt = await signRaw({ typ, cty: 'vc' }, cred, issuer)
      const r = await verifyJwtVc(jwt, { issuerKeys: keys, clock })
      expect(r.issuer).toBe(ISS)
      expect(r.validFrom).toBe(Date.UTC(2010, 0, 1, 19, 23, 24) / 1000)
    }
  })

  it('§3.1.1 rejects a wrong typ and a cty other than vc', async () => {
    for (const typ of ['JWT', 'vp+jwt', 'dc+sd-jwt', 'vc+ld+jwt'])
      await expect(verifyJwtVc(await signRaw({ typ }, alumni, issuer), { issuerKeys: keys, clock })).rejects.toMatchObject({
        code: 'jwt_vc.typ_invalid',
      })
    await expect(
      verifyJwtVc(await signRaw({ typ: 'vc+jwt', cty: 'vp' }, alumni, issuer), { issuerKeys: keys, clock }),
    ).rejects.toMatchObject({
      code: 'jwt_vc.typ_invalid',
    })
  })

  it('§3.1.3 rejects the vc and vp claims in a vc+jwt', async () => {
    for (const extra of [{ vc: {} }, { vp: {} }])
      await expect(
        verifyJwtVc(await signRaw({ typ: 'vc+jwt' }, { ...alumni, ...extra } as never, issuer), { issuerKeys: keys, clock }),
      ).rejects.toMatchObject({
        code: 'jwt_vc.credential_invalid',
      })
  })

  it('iss, when present, must equal issuer (or issuer.id); jti and sub must not contradict id and credentialSubject.id', async () => {
    for (const extra of [{ iss: 'https://other.example' }, { jti: 'urn:uuid:x' }, { sub: 'did:example:other' }]) {
      const jwt = await signRaw({ typ: 'vc+jwt' }, { ...alumni, ...extra } as never, issuer)
      await expect(verifyJwtVc(jwt, { issuerKeys: keys, clock }), JSON.stringify(extra)).rejects.toMatchObject({
        code: 'jwt_vc.claim_mismatch',
      })
    }
    const obj = await signRaw({ typ: 'vc+jwt' }, { ...alumni, issuer: { id: ISS }, iss: 'https://other.example' }, issuer)
    await expect(verifyJwtVc(obj, { issuerKeys: keys, clock })).rejects.toMatchObject({ code: 'jwt_vc.claim_mismatch' })
  })

  it('VCDM 2.0 §4.3/§4.4/§4.7/§4.8: base context first, VerifiableCredential type, issuer, credentialSubject', async () => {
    const { credentialSubject: _cs, ...noSubject } = alumni
    const { issuer: _i, ...noIssuer } = alumni
    for (const bad of [
      { ...alumni, '@context': ['https://www.w3.org/ns/credentials/examples/v2', VCDM2_CONTEXT] },
      { ...alumni, '@context': 'https://www.w3.org/ns/credentials/v2' },
      { ...alumni, type: ['ExampleAlumniCredential'] },
      { ...alumni, issuer: { name: 'no id' } },
      noIssuer,
      noSubject,
      { ...alumni, validFrom: '2010-01-01' },
      { ...alumni, validUntil: 'tomorrow' },
    ]) {
      const jwt = await signRaw({ typ: 'vc+jwt' }, bad as never, issuer)
      await expect(verifyJwtVc(jwt, { issuerKeys: keys, clock })).rejects.toMatchObject({ code: 'jwt_vc.credential_invalid' })
    }
  })

  it('§4.9 validity period: rejects past validUntil (or exp) and before validFrom', async () => {
    const jwt = await issueJwtVc({
      signer: issuer,
      version: '2.0',
      credential: { ...alumni, validFrom: undefined } as never,
      clock,
      validForSeconds: 60,
    })
    await expect(verifyJwtVc(jwt, { issuerKeys: keys, clock: { now: () => clock.now() + 200_000 } })).rejects.toMatchObject({
      code: 'jwt_vc.expired',
    })
    const onlyValidUntil = await signRaw({ typ: 'vc+jwt' }, { ...alumni, validUntil: '2020-01-01T00:00:00Z' }, issuer)
    await expect(verifyJwtVc(onlyValidUntil, { issuerKeys: keys, clock })).rejects.toMatchObject({ code: 'jwt_vc.expired' })
    const future = await signRaw({ typ: 'vc+jwt' }, { ...alumni, validFrom: '2030-01-01T00:00:00Z' }, issuer)
    await expect(verifyJwtVc(future, { issuerKeys: keys, clock })).rejects.toMatchObject({ code: 'jwt_vc.not_yet_valid' })
  })

  it('versions restricts the accepted data model', async () => {
    const { signer, did } = didIssuer('key', 'EdDSA')
    const jwt = await issueJwtVc({ signer, issuer: did, version: '2.0', credential: alumni, clock })
    await expect(verifyJwtVc(jwt, { issuerKeys: { did: true }, clock, versions: ['1.1'] })).rejects.toMatchObject({
      code: 'jwt_vc.typ_invalid',
    })
    expect((await verifyJwtVc(jwt, { issuerKeys: { did: true }, clock, versions: ['2.0'] })).issuer).toBe(did)
  })
})
