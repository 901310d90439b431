import { describe, expect, it } from 'vitest'
import { decodeJwtVc, issueJwtVc, VCDM1_CONTEXT, verifyJwtVc } from '../src/index.js'
import { clock, decodePart, degree, didIssuer, NOW, newSigner, signRaw } from './helpers.js'

const issuer = newSigner()
const ISS = 'https://university.example/issuers/565049'
const keys = { keys: [issuer.publicJwk] }
const base = { signer: issuer, issuer: ISS, credential: degree, clock }

describe('VCDM 1.1 as JWT (jwt_vc_json)', () => {
  it('§6.3.1 encodes: typ JWT, vc claim, iss/sub/nbf/exp/jti from the credential', async () => {
    const jwt = await issueJwtVc({ ...base, subjectId: 'did:example:ebfeb1f712ebc6f1c276e12ec21', validForSeconds: 3600 })
    const h = decodePart(jwt, 0)
    const p = decodePart(jwt, 1)
    expect(h).toMatchObject({ alg: 'ES256', typ: 'JWT' })
    expect(p).toMatchObject({ iss: ISS, sub: 'did:example:ebfeb1f712ebc6f1c276e12ec21', nbf: NOW, iat: NOW, exp: NOW + 3600 })
    expect(p.jti).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const vc = p.vc as Record<string, unknown>
    expect(vc['@context']).toEqual([VCDM1_CONTEXT])
    expect(vc).toMatchObject({
      issuer: ISS,
      id: p.jti,
      issuanceDate: '2026-11-22T15:30:00Z',
      expirationDate: '2026-11-22T16:30:00Z',
    })
    const r = await verifyJwtVc(jwt, { issuerKeys: keys, clock })
    expect(r.version).toBe('1.1')
    expect(r.issuer).toBe(ISS)
    expect(r.types).toEqual(['VerifiableCredential', 'UniversityDegreeCredential'])
    expect(r.subjectId).toBe('did:example:ebfeb1f712ebc6f1c276e12ec21')
    expect(r.validUntil).toBe(NOW + 3600)
  })

  it('§6.3.1 decoding rebuilds issuer, issuanceDate, id and credentialSubject.id from iss/nbf/jti/sub (OpenID4VP B.1.3.1.2 shape)', async () => {
    const payload = {
      iss: 'https://example.gov/issuers/565049',
      nbf: 1262304000,
      jti: 'http://example.gov/credentials/3732',
      sub: 'did:example:ebfeb1f712ebc6f1c276e12ec21',
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
        type: ['VerifiableCredential', 'IDCredential'],
        credentialSubject: { given_name: 'Max', family_name: 'Mustermann', birthdate: '1998-01-11' },
      },
    }
    const jwt = await signRaw({ typ: 'JWT' }, payload, issuer)
    const r = await verifyJwtVc(jwt, { issuerKeys: keys, clock })
    expect(r.credential).toMatchObject({
      issuer: 'https://example.gov/issuers/565049',
      issuanceDate: '2010-01-01T00:00:00Z',
      id: 'http://example.gov/credentials/3732',
      credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', given_name: 'Max' },
    })
  })

  it('§6.3.1 accepts an absent typ ("typ, if present, MUST be JWT"), refusable by policy', async () => {
    const jwt = await signRaw(
      {},
      { iss: ISS, nbf: NOW, vc: { '@context': [VCDM1_CONTEXT], type: 'VerifiableCredential', credentialSubject: {} } },
      issuer,
    )
    expect((await verifyJwtVc(jwt, { issuerKeys: keys, clock })).version).toBe('1.1')
    await expect(verifyJwtVc(jwt, { issuerKeys: keys, clock, requireTyp: true })).rejects.toMatchObject({
      code: 'jwt_vc.typ_invalid',
    })
  })

  it('§6.3.1 rejects a typ other than JWT', async () => {
    const p = { iss: ISS, nbf: NOW, vc: { '@context': [VCDM1_CONTEXT], type: 'VerifiableCredential', credentialSubject: {} } }
    for (const typ of ['dc+sd-jwt', 'vp+jwt', 'at+jwt']) {
      const jwt = await signRaw({ typ }, p, issuer)
      await expect(verifyJwtVc(jwt, { issuerKeys: keys, clock })).rejects.toMatchObject({ code: 'jwt_vc.typ_invalid' })
    }
    const noVc = await signRaw({ typ: 'JWT' }, { iss: ISS }, issuer)
    await expect(verifyJwtVc(noVc, { issuerKeys: keys, clock })).rejects.toMatchObject({ code: 'jwt_vc.typ_invalid' })
  })

  it('§6.3.1 rejects registered claims that disagree with the vc members (iss/issuer, jti/id, sub, nbf/issuanceDate, exp/expirationDate)', async () => {
    const vc = {
      '@context': [VCDM1_CONTEXT],
      type: ['VerifiableCredential'],
      id: 'urn:uuid:1',
      issuer: { id: ISS, name: 'Example University' },
      issuanceDate: '2026-11-22T15:30:00Z',
      expirationDate: '2027-11-22T15:30:00Z',
      credentialSubject: { id: 'did:example:a' },
    }
    const good = { iss: ISS, jti: 'urn:uuid:1', sub: 'did:example:a', nbf: NOW, exp: NOW + 365 * 86400, vc }
    expect((await verifyJwtVc(await signRaw({ typ: 'JWT' }, good, issuer), { issuerKeys: keys, clock })).issuer).toBe(ISS)
    for (const bad of [
      { iss: 'https://other.example' },
      { jti: 'urn:uuid:2' },
      { sub: 'did:example:b' },
      { nbf: NOW + 1 },
      { exp: NOW + 10 },
    ]) {
      const jwt = await signRaw({ typ: 'JWT' }, { ...good, ...bad }, issuer)
      await expect(verifyJwtVc(jwt, { issuerKeys: keys, clock }), JSON.stringify(bad)).rejects.toMatchObject({
        code: 'jwt_vc.claim_mismatch',
      })
    }
  })

  it('§4.1/§4.3 rejects a wrong first @context, a missing VerifiableCredential type, no issuer or no issuanceDate', async () => {
    const vc = { '@context': [VCDM1_CONTEXT], type: ['VerifiableCredential'], credentialSubject: {} }
    for (const [payload, code] of [
      [{ iss: ISS, nbf: NOW, vc: { ...vc, '@context': ['https://www.w3.org/ns/credentials/v2'] } }, 'jwt_vc.credential_invalid'],
      [{ iss: ISS, nbf: NOW, vc: { ...vc, type: ['Other'] } }, 'jwt_vc.credential_invalid'],
      [{ nbf: NOW, vc }, 'jwt_vc.credential_invalid'],
      [{ iss: ISS, vc }, 'jwt_vc.credential_invalid'],
      [{ iss: ISS, nbf: NOW, vc: { ...vc, issuanceDate: '2026-11-22 15:30' } }, 'jwt_vc.credential_invalid'],
      [{ iss: ISS, nbf: NOW, vc: { ...vc, credentialSubject: 'x' } }, 'jwt_vc.credential_invalid'],
      [{ iss: ISS, nbf: 'yesterday', vc }, 'jwt_vc.credential_invalid'],
    ] as const) {
      const jwt = await signRaw({ typ: 'JWT' }, payload as never, issuer)
      await expect(verifyJwtVc(jwt, { issuerKeys: keys, clock }), JSON.stringify(payload)).rejects.toMatchObject({ code })
    }
  })

  it('§6.3.1 exp: rejects an expired credential and one not yet valid (nbf), with skew', async () => {
    const jwt = await issueJwtVc({ ...base, validForSeconds: 600 })
    const later = { now: () => clock.now() + 661_000 }
    await expect(verifyJwtVc(jwt, { issuerKeys: keys, clock: later })).rejects.toMatchObject({ code: 'jwt_vc.expired' })
    expect((await verifyJwtVc(jwt, { issuerKeys: keys, clock: { now: () => clock.now() + 650_000 } })).version).toBe('1.1')
    const earlier = { now: () => clock.now() - 120_000 }
    await expect(verifyJwtVc(jwt, { issuerKeys: keys, clock: earlier })).rejects.toMatchObject({ code: 'jwt_vc.not_yet_valid' })
  })

  it('decodeJwtVc checks the data model without keys', async () => {
    const { signer, did } = didIssuer()
    const jwt = await issueJwtVc({ signer, issuer: did, credential: degree, clock })
    const d = decodeJwtVc(jwt)
    expect(d.issuer).toBe(did)
    expect(d.header.kid).toBe(`${did}#0`)
  })
})
