import { FakeClock, OAuthError, VcError } from '@bonafide/core'
import { createX5cValidator, signCompactJws } from '@bonafide/jose'
import { createLocalSigner, exportPrivateJwk, generateKeyObject, jwkThumbprint, type Signer } from '@bonafide/keys'
import {
  checkCodeChallenge,
  createClientAttestation,
  createClientAttestationPop,
  createDpopProof,
  createPkce,
  MemoryReplayGuard,
  oauthErrorResponse,
  readFormBody,
  readJsonBody,
  verifyClientAttestation,
  verifyDpopProof,
  verifyPkce,
} from '@bonafide/oauth2'
import { createDevChain } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'

const signer = (): Signer => createLocalSigner(generateKeyObject('ES256'), { store: 't', id: 'k' }, 'ES256')
const clock = new FakeClock(1_800_000_000_000)
const form = (body: string, type = 'application/x-www-form-urlencoded') =>
  new Request('https://as.example/token', { method: 'POST', headers: { 'content-type': type }, body })

async function oauthError(p: Promise<unknown>): Promise<OAuthError> {
  try {
    await p
  } catch (e) {
    if (e instanceof OAuthError) return e
    throw e
  }
  throw new Error('expected an OAuthError')
}

describe('request bodies', () => {
  it('RFC 6749 §3.2 refuses repeated parameters and wrong content types', async () => {
    expect((await oauthError(readFormBody(form('a=1&a=2')))).error).toBe('invalid_request')
    expect((await oauthError(readFormBody(form('a=1', 'text/plain')))).error).toBe('invalid_request')
    expect(await readFormBody(form('a=1&b=&c=x%20y'))).toEqual({ a: '1', c: 'x y' })
  })
  it('enforces the size limit (413) without trusting Content-Length', async () => {
    const e = await oauthError(readFormBody(form(`a=${'x'.repeat(2000)}`), 1000))
    expect(e.status).toBe(413)
  })
  it('JSON bodies must be objects of bounded depth', async () => {
    const j = (b: string) =>
      new Request('https://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: b })
    expect((await oauthError(readJsonBody(j('[1]')))).error).toBe('invalid_request')
    expect((await oauthError(readJsonBody(j('{"a":')))).error).toBe('invalid_request')
    expect((await oauthError(readJsonBody(j(`{"a":${'['.repeat(40)}${']'.repeat(40)}}`)))).error).toBe('invalid_request')
    expect(await readJsonBody(j('{"a":[1]}'))).toEqual({ a: [1] })
  })
  it('error responses: OAuthError keeps status and headers, VcError → 400, others → 500 without detail', async () => {
    const a = oauthErrorResponse(new OAuthError('use_dpop_nonce', 'x', { status: 400, headers: { 'dpop-nonce': 'n' } }))
    expect(a.status).toBe(400)
    expect(a.headers.get('dpop-nonce')).toBe('n')
    expect(a.headers.get('cache-control')).toBe('no-store')
    expect(await oauthErrorResponse(new VcError('x.y', 'bad')).json()).toMatchObject({ error: 'invalid_request' })
    const c = oauthErrorResponse(new Error('secret detail'))
    expect(c.status).toBe(500)
    expect(await c.text()).not.toContain('secret')
  })
})

describe('PKCE (RFC 7636)', () => {
  it('§4.6 S256 round trip; a wrong verifier is invalid_grant', () => {
    const p = createPkce()
    expect(() => verifyPkce(p.verifier, p.challenge)).not.toThrow()
    expect(() => verifyPkce(createPkce().verifier, p.challenge)).toThrow(OAuthError)
    expect(() => verifyPkce(undefined, p.challenge)).toThrow(OAuthError)
  })
  it('§4.3 plain is refused', () => {
    expect(() => checkCodeChallenge('a'.repeat(43), 'plain')).toThrow(OAuthError)
    expect(checkCodeChallenge(createPkce().challenge, 'S256')).toHaveLength(43)
  })
})

describe('DPoP (RFC 9449)', () => {
  const url = 'https://as.example/token'
  const base = (o: Partial<Parameters<typeof verifyDpopProof>[1]> = {}) => ({
    method: 'POST',
    url,
    replay: new MemoryReplayGuard(() => clock.now()),
    clock,
    ...o,
  })
  it('§4.3 accepts a valid proof and returns the key thumbprint', async () => {
    const s = signer()
    const v = await verifyDpopProof(await createDpopProof({ signer: s, htm: 'POST', htu: `${url}?q=1`, clock }), base())
    expect(v.jkt).toBe(jwkThumbprint(s.publicJwk))
  })
  it('§4.3 refuses another method, another URL, a stale iat, a replayed jti', async () => {
    const s = signer()
    const err = async (p: Promise<unknown>) => (await oauthError(p)).error
    expect(await err(verifyDpopProof(await createDpopProof({ signer: s, htm: 'GET', htu: url, clock }), base()))).toBe(
      'invalid_dpop_proof',
    )
    expect(
      await err(verifyDpopProof(await createDpopProof({ signer: s, htm: 'POST', htu: 'https://as.example/par', clock }), base())),
    ).toBe('invalid_dpop_proof')
    const old = new FakeClock(clock.now() - 600_000)
    expect(await err(verifyDpopProof(await createDpopProof({ signer: s, htm: 'POST', htu: url, clock: old }), base()))).toBe(
      'invalid_dpop_proof',
    )
    const replay = new MemoryReplayGuard(() => clock.now())
    const p = await createDpopProof({ signer: s, htm: 'POST', htu: url, clock })
    await verifyDpopProof(p, base({ replay }))
    expect(await err(verifyDpopProof(p, base({ replay })))).toBe('invalid_dpop_proof')
  })
  it('§4.3 refuses a private key in the header, a wrong typ, another key than the bound one, a wrong ath', async () => {
    const k = generateKeyObject('ES256')
    const s = createLocalSigner(k, { store: 't', id: 'p' }, 'ES256')
    const payload = { jti: 'abcdefghijkl', htm: 'POST', htu: url, iat: Math.floor(clock.now() / 1000) }
    const priv = await signCompactJws({ typ: 'dpop+jwt', jwk: { ...exportPrivateJwk(k) } }, payload, s)
    expect((await oauthError(verifyDpopProof(priv, base()))).error).toBe('invalid_dpop_proof')
    const jwt = await signCompactJws({ typ: 'JWT', jwk: { ...s.publicJwk } }, payload, s)
    expect((await oauthError(verifyDpopProof(jwt, base()))).error).toBe('invalid_dpop_proof')
    const ok = await createDpopProof({ signer: s, htm: 'POST', htu: url, clock, accessToken: 'tok' })
    expect((await oauthError(verifyDpopProof(ok, base({ expectedJkt: jwkThumbprint(signer().publicJwk) })))).error).toBe(
      'invalid_dpop_proof',
    )
    const e = await oauthError(verifyDpopProof(ok, base({ accessToken: 'other', resourceServer: true })))
    expect(e.status).toBe(401)
    expect(e.headers['www-authenticate']).toContain('invalid_dpop_proof')
  })
  it('§8 demands a server nonce with use_dpop_nonce and a DPoP-Nonce header', async () => {
    const nonces = { check: async (n: string) => n === 'n-1', current: async () => 'n-1' }
    const s = signer()
    const e = await oauthError(
      verifyDpopProof(await createDpopProof({ signer: s, htm: 'POST', htu: url, clock }), base({ nonces })),
    )
    expect(e.error).toBe('use_dpop_nonce')
    expect(e.headers['dpop-nonce']).toBe('n-1')
    await verifyDpopProof(await createDpopProof({ signer: s, htm: 'POST', htu: url, clock, nonce: 'n-1' }), base({ nonces }))
  })
  it('refuses a missing or repeated header', async () => {
    expect((await oauthError(verifyDpopProof(null, base()))).error).toBe('invalid_dpop_proof')
    expect((await oauthError(verifyDpopProof('a.b.c, d.e.f', base()))).error).toBe('invalid_dpop_proof')
  })
})

describe('client attestation (attest_jwt_client_auth)', async () => {
  const provider = await createDevChain({ alg: 'ES256' })
  const providerSigner = createLocalSigner(provider.leaf.key, { store: 't', id: 'wp' }, 'ES256')
  const trusted = createX5cValidator([provider.root.pem])
  const opts = () => ({
    trustedProviders: trusted,
    audience: 'https://as.example',
    replay: new MemoryReplayGuard(),
    clock: { now: Date.now },
  })
  const instance = signer()
  const att = () =>
    createClientAttestation({ providerSigner, x5c: provider.x5c, clientId: 'c1', instanceKey: instance.publicJwk })
  const pop = (o: { signer?: Signer; audience?: string } = {}) =>
    createClientAttestationPop({
      instanceSigner: o.signer ?? instance,
      clientId: 'c1',
      audience: o.audience ?? 'https://as.example',
    })

  it('verifies a trusted attestation with its PoP', async () => {
    const v = await verifyClientAttestation(await att(), await pop(), opts())
    expect(v.clientId).toBe('c1')
  })
  it('refuses an untrusted provider, an expired attestation, a PoP for another AS or by another key, a replayed PoP', async () => {
    const other = await createDevChain({ alg: 'ES256' })
    const otherAtt = await createClientAttestation({
      providerSigner: createLocalSigner(other.leaf.key, { store: 't', id: 'o' }, 'ES256'),
      x5c: other.x5c,
      clientId: 'c1',
      instanceKey: instance.publicJwk,
    })
    expect((await oauthError(verifyClientAttestation(otherAtt, await pop(), opts()))).error).toBe('invalid_client')
    const expired = await createClientAttestation({
      providerSigner,
      x5c: provider.x5c,
      clientId: 'c1',
      instanceKey: instance.publicJwk,
      clock: { now: () => Date.now() - 7200_000 },
      validForSeconds: 60,
    })
    expect((await oauthError(verifyClientAttestation(expired, await pop(), opts()))).error).toBe('invalid_client')
    expect(
      (await oauthError(verifyClientAttestation(await att(), await pop({ audience: 'https://evil.example' }), opts()))).error,
    ).toBe('invalid_client')
    expect((await oauthError(verifyClientAttestation(await att(), await pop({ signer: signer() }), opts()))).error).toBe(
      'invalid_client',
    )
    const o = opts()
    const a = await att()
    const p = await pop()
    await verifyClientAttestation(a, p, o)
    expect((await oauthError(verifyClientAttestation(a, p, o))).error).toBe('invalid_client')
  })
})

describe('oauth2 errors', () => {
  it('createDpopProof refuses an htu that is not a URL (oauth2.dpop_invalid)', async () => {
    await expect(createDpopProof({ signer: signer(), htm: 'POST', htu: 'not a url' })).rejects.toMatchObject({
      code: 'oauth2.dpop_invalid',
    })
  })
})
