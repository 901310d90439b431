import { type DidDocument, resolveDid } from '@bonafide/did'
import { describe, expect, it } from 'vitest'
import { createJwtVp, issueJwtVc, VCDM2_CONTEXT, verifyJwtVp } from '../src/index.js'
import { clock, decodePart, degree, didIssuer, newSigner, signRaw } from './helpers.js'

const issuer = didIssuer('jwk')
const AUD = 'x509_san_dns:client.example.org'
const NONCE = 'n-0S6_WzA2Mj'
const base = { issuerKeys: { did: true }, clock, audience: AUD, nonce: NONCE }

async function credentialFor(holder: { did?: string; key?: ReturnType<typeof newSigner> }, version: '1.1' | '2.0' = '1.1') {
  return issueJwtVc({
    signer: issuer.signer,
    issuer: issuer.did,
    credential: degree,
    version,
    clock,
    ...(holder.did ? { subjectId: holder.did } : {}),
    ...(holder.key ? { holderKey: holder.key.publicJwk } : {}),
  })
}

describe('Verifiable Presentations as JWT', () => {
  it('VCDM 1.1 §6.3.1 vp claim, bound to the subject DID (OpenID4VP B.1.3.1.5 shape)', async () => {
    const holder = didIssuer('key', 'EdDSA')
    const vc = await credentialFor({ did: holder.did })
    const vp = await createJwtVp({
      signer: holder.signer,
      holder: holder.did,
      credentials: [vc],
      audience: AUD,
      nonce: NONCE,
      clock,
    })
    expect(decodePart(vp, 0)).toMatchObject({ typ: 'JWT', kid: holder.kid })
    expect(decodePart(vp, 1)).toMatchObject({
      iss: holder.did,
      aud: AUD,
      nonce: NONCE,
      vp: { type: ['VerifiablePresentation'], verifiableCredential: [vc] },
    })
    const r = await verifyJwtVp(vp, base)
    expect(r.version).toBe('1.1')
    expect(r.holder).toBe(holder.did)
    expect(r.credentials[0]?.credential.credentialSubject).toMatchObject({ id: holder.did })
  })

  it('VC-JOSE-COSE §3.1.2 vp+jwt with EnvelopedVerifiableCredential entries, bound by cnf.jwk', async () => {
    const key = newSigner()
    const vc = await credentialFor({ key }, '2.0')
    const vp = await createJwtVp({ signer: key, version: '2.0', credentials: [vc], audience: AUD, nonce: NONCE, clock })
    expect(decodePart(vp, 0)).toMatchObject({ typ: 'vp+jwt', cty: 'vp' })
    expect(decodePart(vp, 1)).toMatchObject({
      '@context': [VCDM2_CONTEXT],
      type: ['VerifiablePresentation'],
      verifiableCredential: [
        { '@context': VCDM2_CONTEXT, id: `data:application/vc+jwt,${vc}`, type: 'EnvelopedVerifiableCredential' },
      ],
    })
    const r = await verifyJwtVp(vp, base)
    expect(r.version).toBe('2.0')
    expect(r.credentials[0]?.version).toBe('2.0')
  })

  it('VC-JOSE-COSE §3.1.2 example shape (type as a string, examples context, holder by cnf) verifies as signed by hand', async () => {
    const key = newSigner()
    const vc = await credentialFor({ key }, '2.0')
    const payload = {
      '@context': [VCDM2_CONTEXT, 'https://www.w3.org/ns/credentials/examples/v2'],
      type: 'VerifiablePresentation',
      verifiableCredential: [
        { '@context': VCDM2_CONTEXT, id: `data:application/vc+jwt,${vc}`, type: 'EnvelopedVerifiableCredential' },
      ],
      aud: AUD,
      nonce: NONCE,
    }
    const r = await verifyJwtVp(await signRaw({ typ: 'vp+jwt', cty: 'vp' }, payload, key), base)
    expect(r.credentials[0]?.types).toContain('UniversityDegreeCredential')
  })

  it('OpenID4VP B.1.3.1.5 rejects a wrong nonce or aud', async () => {
    const key = newSigner()
    const vp = await createJwtVp({ signer: key, credentials: [await credentialFor({ key })], audience: AUD, nonce: NONCE, clock })
    await expect(verifyJwtVp(vp, { ...base, nonce: 'other' })).rejects.toMatchObject({ code: 'jwt_vc.nonce_mismatch' })
    await expect(verifyJwtVp(vp, { ...base, audience: 'x509_san_dns:evil.example' })).rejects.toMatchObject({
      code: 'jwt_vc.aud_mismatch',
    })
  })

  it('holder binding: rejects a VP signed by another key than cnf.jwk or the subject DID', async () => {
    const key = newSigner()
    const mallory = newSigner()
    const bound = await credentialFor({ key })
    // Signed by Mallory: the signature check against the credential's cnf.jwk fails.
    const stolen = await createJwtVp({ signer: mallory, credentials: [bound], audience: AUD, nonce: NONCE, clock })
    await expect(verifyJwtVp(stolen, base)).rejects.toMatchObject({ code: 'jwt_vc.signature_invalid' })
    // Mallory presents with her own DID: the credential's cnf.jwk is not her key.
    const m = didIssuer('jwk')
    const asDid = await createJwtVp({ signer: m.signer, holder: m.did, credentials: [bound], audience: AUD, nonce: NONCE, clock })
    await expect(verifyJwtVp(asDid, base)).rejects.toMatchObject({ code: 'jwt_vc.holder_binding_mismatch' })
    const h = didIssuer('key')
    const didBound = await credentialFor({ did: h.did })
    const other = await createJwtVp({
      signer: m.signer,
      holder: m.did,
      credentials: [didBound],
      audience: AUD,
      nonce: NONCE,
      clock,
    })
    await expect(verifyJwtVp(other, base)).rejects.toMatchObject({ code: 'jwt_vc.holder_binding_mismatch' })
    // Holder claims to be h but signs with m's kid.
    const lying = await createJwtVp({
      signer: m.signer,
      holder: h.did,
      kid: m.kid,
      credentials: [didBound],
      audience: AUD,
      nonce: NONCE,
      clock,
    })
    await expect(verifyJwtVp(lying, base)).rejects.toMatchObject({ code: 'jwt_vc.claim_mismatch' })
  })

  it('holder binding: a credential without cnf or subject DID is refused unless binding is not required', async () => {
    const h = didIssuer('jwk')
    const unbound = await credentialFor({})
    const vp = await createJwtVp({ signer: h.signer, holder: h.did, credentials: [unbound], audience: AUD, nonce: NONCE, clock })
    await expect(verifyJwtVp(vp, base)).rejects.toMatchObject({ code: 'jwt_vc.holder_binding_missing' })
    expect((await verifyJwtVp(vp, { ...base, requireHolderBinding: false })).holder).toBe(h.did)
    const anon = await createJwtVp({ signer: h.signer, credentials: [unbound], audience: AUD, nonce: NONCE, clock })
    await expect(verifyJwtVp(anon, { ...base, requireHolderBinding: false })).rejects.toMatchObject({
      code: 'jwt_vc.holder_binding_missing',
    })
  })

  it('DID Core §5.3.1 the holder key must be listed under authentication', async () => {
    const h = didIssuer('jwk')
    const vp = await createJwtVp({
      signer: h.signer,
      holder: h.did,
      credentials: [await credentialFor({ did: h.did })],
      audience: AUD,
      nonce: NONCE,
      clock,
    })
    const noAuth = (d: string): DidDocument => ({ ...resolveDid(d), authentication: [] })
    await expect(verifyJwtVp(vp, { ...base, didResolve: noAuth })).rejects.toMatchObject({ code: 'jwt_vc.key_not_authorized' })
  })

  it('rejects an expired or stale presentation, and a credential that fails inside it', async () => {
    const key = newSigner()
    const vc = await credentialFor({ key })
    const vp = await createJwtVp({ signer: key, credentials: [vc], audience: AUD, nonce: NONCE, clock, validForSeconds: 60 })
    await expect(verifyJwtVp(vp, { ...base, clock: { now: () => clock.now() + 300_000 } })).rejects.toMatchObject({
      code: 'jwt_vc.expired',
    })
    await expect(
      verifyJwtVp(vp, { ...base, clock: { now: () => clock.now() + 100_000 }, maxAgeSeconds: 5 }),
    ).rejects.toMatchObject({
      code: 'jwt_vc.iat_invalid',
    })
    const foreign = await issueJwtVc({
      signer: newSigner(),
      issuer: issuer.did,
      credential: degree,
      holderKey: key.publicJwk,
      clock,
    })
    const vp2 = await createJwtVp({ signer: key, credentials: [foreign], audience: AUD, nonce: NONCE, clock })
    await expect(verifyJwtVp(vp2, base)).rejects.toMatchObject({ code: 'jwt_vc.signature_invalid' })
  })

  it('rejects malformed presentations: wrong typ, embedded objects, no credentials, 1.1 JWTs enveloped in a vp+jwt', async () => {
    const key = newSigner()
    const vc = await credentialFor({ key })
    const vpClaim = {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiablePresentation'],
      verifiableCredential: [vc],
    }
    const claims = { aud: AUD, nonce: NONCE }
    const cases: [object, object, string][] = [
      [{ typ: 'vc+jwt' }, { ...claims, vp: vpClaim }, 'jwt_vc.typ_invalid'],
      [{ typ: 'JWT' }, { ...claims, vp: { ...vpClaim, verifiableCredential: [{ id: 'x' }] } }, 'jwt_vc.presentation_invalid'],
      [{ typ: 'JWT' }, { ...claims, vp: { ...vpClaim, verifiableCredential: [] } }, 'jwt_vc.presentation_invalid'],
      [{ typ: 'JWT' }, { ...claims, vp: { ...vpClaim, type: ['Other'] } }, 'jwt_vc.presentation_invalid'],
      [{ typ: 'JWT' }, { ...claims, jti: 'urn:a', vp: { ...vpClaim, id: 'urn:b' } }, 'jwt_vc.claim_mismatch'],
      [
        { typ: 'vp+jwt' },
        {
          ...claims,
          '@context': [VCDM2_CONTEXT],
          type: 'VerifiablePresentation',
          verifiableCredential: [
            { '@context': VCDM2_CONTEXT, id: `data:application/vc+jwt,${vc}`, type: 'EnvelopedVerifiableCredential' },
          ],
        },
        'jwt_vc.typ_invalid',
      ],
      [
        { typ: 'vp+jwt' },
        {
          ...claims,
          '@context': [VCDM2_CONTEXT],
          type: 'VerifiablePresentation',
          verifiableCredential: [
            { id: `data:text/plain,${vc}`, type: 'EnvelopedVerifiableCredential', '@context': VCDM2_CONTEXT },
          ],
        },
        'jwt_vc.presentation_invalid',
      ],
    ]
    for (const [h, p, code] of cases)
      await expect(verifyJwtVp(await signRaw(h as never, p as never, key), base), code).rejects.toMatchObject({ code })
    await expect(verifyJwtVp(`${'a'.repeat(10)}.b.c`, base)).rejects.toMatchObject({ code: 'jwt_vc.malformed' })
    await expect(verifyJwtVp('x'.repeat(2 << 20), base)).rejects.toMatchObject({ code: 'jwt_vc.too_large' })
    await expect(createJwtVp({ signer: key, credentials: [], audience: AUD, nonce: NONCE })).rejects.toMatchObject({
      code: 'jwt_vc.options_invalid',
    })
  })
})
