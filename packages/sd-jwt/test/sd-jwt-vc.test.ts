import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSafeFetcher, FakeClock, type JsonObject, type StatusChecker } from '@bonafide/core'
import { generatePrivateJwk, jwkThumbprint, signerFromPrivateJwk } from '@bonafide/keys'
import { createDevChain } from '@bonafide/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  decodeSdJwt,
  integrityOf,
  issueSdJwtVc,
  issueSdJwtVcBatch,
  joinCompact,
  jwtVcIssuerMetadataUrl,
  presentSdJwt,
  signJwt,
  type VerifySdJwtVcOptions,
  verifySdJwtVc,
} from '../src/index.js'

const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const clock = new FakeClock(Date.UTC(2026, 10, 22, 15, 30, 0))
const NOW = Math.floor(clock.now() / 1000)
const claims = {
  given_name: 'Erika',
  family_name: 'Mustermann',
  address: { locality: 'Berlin', country: 'DE' },
  nationalities: ['DE'],
}
const base = { signer: issuer, iss: 'https://issuer.example', vct: 'urn:eudi:pid:1', claims, clock }
const static_: VerifySdJwtVcOptions = { issuerKeys: { keys: [issuer.publicJwk] }, clock }

describe('SD-JWT VC issuance (draft-ietf-oauth-sd-jwt-vc-18 §3)', () => {
  it('§3.2.1 typ dc+sd-jwt, vct, iss, iat, exp, cnf', async () => {
    const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const vc = await issueSdJwtVc({
      ...base,
      disclosable: ['given_name', 'address.locality'],
      holderKey: holder.publicJwk,
      validForSeconds: 3600,
    })
    const d = decodeSdJwt(vc)
    expect(d.jwt.header.typ).toBe('dc+sd-jwt')
    expect(d.jwt.payload).toMatchObject({
      iss: base.iss,
      vct: base.vct,
      iat: NOW,
      exp: NOW + 3600,
      cnf: { jwk: holder.publicJwk },
    })
    expect(d.jwt.payload).not.toHaveProperty('given_name')
    const r = await verifySdJwtVc(vc, static_)
    expect(r.claims).toMatchObject(claims)
    expect(r.vct).toBe(base.vct)
  })
  it('§3.2.2.2 refuses to make iss, nbf, exp, cnf, vct or status disclosable', async () => {
    for (const p of ['iss', 'nbf', 'exp', 'cnf', 'vct', 'status', 'cnf.jwk']) {
      await expect(issueSdJwtVc({ ...base, disclosable: [p] })).rejects.toMatchObject({ code: 'sd_jwt_vc.claim_not_disclosable' })
    }
    await expect(issueSdJwtVc({ ...base, claims: { ...claims, iss: 'x' } })).rejects.toMatchObject({
      code: 'sd_jwt_vc.claim_invalid',
    })
  })
  it('§3.2.2.2 a verifier refuses a never-disclosable claim sent as a disclosure', async () => {
    const { createDisclosure } = await import('../src/index.js')
    const d = createDisclosure('sha-256', 'c2FsdHNhbHRzYWx0c2FsdA', 'exp', NOW - 10)
    const t = joinCompact(await signJwt({ typ: 'dc+sd-jwt' }, { vct: 'x', _sd: [d.digest] }, issuer), [d.encoded])
    await expect(verifySdJwtVc(t, static_)).rejects.toMatchObject({ code: 'sd_jwt_vc.claim_not_disclosable' })
  })
  it('§3.2.1 refuses other typ values; vc+sd-jwt only when allowed', async () => {
    const t = joinCompact(await signJwt({ typ: 'vc+sd-jwt' }, { vct: 'x', iss: 'i' }, issuer), [])
    await expect(verifySdJwtVc(t, static_)).rejects.toMatchObject({ code: 'sd_jwt_vc.typ_invalid' })
    expect((await verifySdJwtVc(t, { ...static_, allowLegacyTyp: true })).vct).toBe('x')
    const u = joinCompact(await signJwt({ typ: 'JWT' }, { vct: 'x' }, issuer), [])
    await expect(verifySdJwtVc(u, static_)).rejects.toMatchObject({ code: 'sd_jwt_vc.typ_invalid' })
    const v = joinCompact(await signJwt({ typ: 'dc+sd-jwt' }, { iss: 'i' }, issuer), [])
    await expect(verifySdJwtVc(v, static_)).rejects.toMatchObject({ code: 'sd_jwt_vc.claim_missing' })
  })
  it('validity is checked with the injected clock and skew', async () => {
    const vc = await issueSdJwtVc({ ...base, validForSeconds: 60 })
    const later = new FakeClock(clock.now() + 3600_000)
    await expect(verifySdJwtVc(vc, { ...static_, clock: later })).rejects.toMatchObject({ code: 'sd_jwt.expired' })
    expect((await verifySdJwtVc(vc, { ...static_, clock: later, skewSeconds: 4000 })).vct).toBe(base.vct)
  })
})

describe('SD-JWT VC batches (RFC 9901 §10.1)', () => {
  it('each entry gets its own key, salts and status; timestamps rounded; audit kept apart', async () => {
    const holders = Array.from({ length: 5 }, () => signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk)
    const { credentials, audit } = await issueSdJwtVcBatch({
      ...base,
      disclosable: ['given_name', 'family_name'],
      validForSeconds: 86_400 * 30,
      entries: holders.map((holderKey, i) => ({
        holderKey,
        status: { status_list: { idx: 1000 + i * 7, uri: 'https://issuer.example/sl/1' } },
      })),
    })
    expect(credentials).toHaveLength(5)
    const decoded = credentials.map((c) => decodeSdJwt(c))
    const salts = decoded.flatMap((d) => d.disclosures.map((x) => x.salt))
    expect(new Set(salts).size).toBe(salts.length)
    const dayStart = Math.floor(NOW / 86_400) * 86_400
    for (const [i, d] of decoded.entries()) {
      expect(d.jwt.payload.iat).toBe(dayStart)
      expect(d.jwt.payload.exp).toBe(dayStart + 86_400 * 30)
      expect((d.jwt.payload.cnf as JsonObject).jwk).toEqual(holders[i])
      expect(d.jwt.payload.status).toEqual({ status_list: { idx: 1000 + i * 7, uri: 'https://issuer.example/sl/1' } })
    }
    expect(audit).toMatchObject({ count: 5, issuedAt: NOW, holderKeyThumbprints: holders.map(jwkThumbprint) })
    expect(credentials.join('')).not.toContain(audit.batchId)
  })
  it('randomized timestamps stay within the window', async () => {
    const { credentials } = await issueSdJwtVcBatch({
      ...base,
      entries: [{}, {}, {}],
      timestamps: { mode: 'randomize', windowSeconds: 86_400 },
    })
    for (const c of credentials) {
      const iat = decodeSdJwt(c).jwt.payload.iat as number
      expect(iat).toBeLessThanOrEqual(NOW)
      expect(iat).toBeGreaterThan(NOW - 86_400)
    }
  })
  it('names the failing entry and signs nothing when one is invalid', async () => {
    const k = signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk
    let signed = 0
    const counting = {
      ...issuer,
      signSync: (d: Uint8Array) => {
        signed++
        return issuer.signSync!(d)
      },
    }
    await expect(
      issueSdJwtVcBatch({ ...base, signer: counting, entries: [{ holderKey: k }, { holderKey: k }] }),
    ).rejects.toMatchObject({
      code: 'sd_jwt_vc.batch_entry_invalid',
      details: { index: 1 },
    })
    expect(signed).toBe(0)
  })
})

describe('SD-JWT VC issuer key discovery (§5)', () => {
  it('x5c chain to a trust anchor, with iss in the SAN; untrusted root refused', async () => {
    const chain = await createDevChain({ dnsNames: ['issuer.example'] })
    const signer = signerFromPrivateJwk({ ...JSON.parse(JSON.stringify(chain.leaf.key.export({ format: 'jwk' }))) })
    const real = { now: () => Date.now() }
    const vc = await issueSdJwtVc({ ...base, clock: real, signer, header: { x5c: chain.x5c } })
    const r = await verifySdJwtVc(vc, { issuerKeys: { trustAnchors: [chain.root.pem] }, clock: { now: () => Date.now() } })
    expect(r.iss).toBe(base.iss)
    const other = await createDevChain()
    await expect(verifySdJwtVc(vc, { issuerKeys: { trustAnchors: [other.root.pem] } })).rejects.toMatchObject({
      code: 'jose.x5c_untrusted',
    })
    const wrongIss = await issueSdJwtVc({
      ...base,
      clock: real,
      iss: 'https://other.example',
      signer,
      header: { x5c: chain.x5c },
    })
    await expect(verifySdJwtVc(wrongIss, { issuerKeys: { trustAnchors: [chain.root.pem] } })).rejects.toMatchObject({
      code: 'sd_jwt_vc.issuer_untrusted',
    })
  })
  it("§5.1 x5c validity uses each call's clock, even with a policy (and cached chain) shared across calls", async () => {
    const chain = await createDevChain({ dnsNames: ['issuer.example'] })
    const signer = signerFromPrivateJwk({ ...JSON.parse(JSON.stringify(chain.leaf.key.export({ format: 'jwk' }))) })
    const now = Date.now()
    const vc = await issueSdJwtVc({ ...base, clock: { now: () => now }, signer, header: { x5c: chain.x5c } })
    const policy = { trustAnchors: [chain.root.pem] }
    expect((await verifySdJwtVc(vc, { issuerKeys: policy, clock: { now: () => now } })).iss).toBe(base.iss)
    // Past the chain's notAfter (the credential itself carries no exp): refused although the chain was cached.
    const later = { now: () => now + 4000 * 86_400_000 }
    await expect(verifySdJwtVc(vc, { issuerKeys: policy, clock: later })).rejects.toMatchObject({ code: 'jose.x5c_expired' })
  })
  it('a mechanism the policy does not permit is never used', async () => {
    const vc = await issueSdJwtVc(base)
    await expect(verifySdJwtVc(vc, { issuerKeys: {}, clock })).rejects.toMatchObject({ code: 'sd_jwt_vc.issuer_untrusted' })
    const other = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    await expect(verifySdJwtVc(vc, { issuerKeys: { keys: [other.publicJwk] }, clock })).rejects.toMatchObject({
      code: 'sd_jwt.issuer_signature_invalid',
    })
    await expect(
      verifySdJwtVc(vc, { issuerKeys: { keys: { 'https://other.example': [issuer.publicJwk] } }, clock }),
    ).rejects.toMatchObject({
      code: 'sd_jwt.issuer_key_unresolved',
    })
  })
  it('/.well-known/jwt-vc-issuer is built between host and path', () => {
    expect(jwtVcIssuerMetadataUrl('https://example.com/tenant/1')).toBe('https://example.com/.well-known/jwt-vc-issuer/tenant/1')
    expect(jwtVcIssuerMetadataUrl('https://example.com')).toBe('https://example.com/.well-known/jwt-vc-issuer')
  })

  describe('JWT VC Issuer Metadata over HTTP (§6)', () => {
    let url = ''
    let hits = 0
    let issuerValue = ''
    const server = createServer((req, res) => {
      hits++
      if (req.url?.startsWith('/.well-known/jwt-vc-issuer')) {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' })
        res.end(JSON.stringify({ issuer: issuerValue, jwks: { keys: [{ ...issuer.publicJwk, kid: 'k1' }] } }))
      } else if (req.url === '/types/pid') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(typeDoc)
      } else {
        res.writeHead(404)
        res.end()
      }
    })
    let typeDoc = ''
    beforeAll(async () => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      issuerValue = url
      typeDoc = JSON.stringify({ vct: `${url}/types/pid`, name: 'PID' })
    })
    afterAll(() => new Promise<void>((r) => server.close(() => r())))

    it('fetches keys once, selects by kid, and checks issuer = iss', async () => {
      const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
      const vc = await issueSdJwtVc({ ...base, iss: url, header: { kid: 'k1' } })
      // https only, unless a test explicitly allows http
      await expect(verifySdJwtVc(vc, { issuerKeys: { metadata: { fetcher } }, clock })).rejects.toMatchObject({
        code: 'sd_jwt_vc.issuer_untrusted',
      })
      const policy = { metadata: { fetcher, allowHttpIssuer: true } }
      hits = 0
      for (let i = 0; i < 5; i++) expect((await verifySdJwtVc(vc, { issuerKeys: policy, clock })).iss).toBe(url)
      expect(hits).toBe(1)
      const wrongKid = await issueSdJwtVc({ ...base, iss: url, header: { kid: 'k2' } })
      await expect(verifySdJwtVc(wrongKid, { issuerKeys: policy, clock })).rejects.toMatchObject({
        code: 'sd_jwt.issuer_key_unresolved',
      })
      issuerValue = 'https://someone.else'
      await expect(
        verifySdJwtVc(vc, { issuerKeys: { metadata: { fetcher, allowHttpIssuer: true } }, clock }),
      ).rejects.toMatchObject({
        code: 'sd_jwt_vc.issuer_metadata_invalid',
      })
      issuerValue = url
    })
    it('type metadata: integrity over the bytes, vct match', async () => {
      const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
      const vct = `${url}/types/pid`
      const registry = new Map([[vct, new TextEncoder().encode(typeDoc)]])
      const vc = await issueSdJwtVc({ ...base, vct, vctIntegrity: integrityOf(new TextEncoder().encode(typeDoc)) })
      const r = await verifySdJwtVc(vc, { ...static_, typeMetadata: { fetcher, registry, required: true } })
      expect(r.typeMetadata?.chain[0]?.name).toBe('PID')
      const bad = await issueSdJwtVc({ ...base, vct, vctIntegrity: 'sha256-AAAA' })
      await expect(verifySdJwtVc(bad, { ...static_, typeMetadata: { registry } })).rejects.toMatchObject({
        code: 'sd_jwt_vc.type_metadata_integrity',
      })
    })
    it('type metadata: fetched through the fetcher, which refuses http and loopback unless told', async () => {
      const vct = `${url}/types/pid`
      const vc = await issueSdJwtVc({ ...base, vct, vctIntegrity: integrityOf(new TextEncoder().encode(typeDoc)) })
      const loose = createSafeFetcher({ allowHttp: true, allowLoopback: true })
      const r = await verifySdJwtVc(vc, { ...static_, typeMetadata: { fetcher: loose, required: true } })
      expect(r.typeMetadata?.chain[0]?.vct).toBe(vct)
      await expect(
        verifySdJwtVc(vc, { ...static_, typeMetadata: { fetcher: createSafeFetcher(), required: true } }),
      ).rejects.toMatchObject({
        code: 'core.fetch_forbidden_url',
      })
      await expect(
        verifySdJwtVc(vc, { ...static_, typeMetadata: { fetcher: createSafeFetcher({ allowHttp: true }), required: true } }),
      ).rejects.toMatchObject({ code: 'core.fetch_forbidden_address' })
    })
    it('type metadata: extends cycles are refused', async () => {
      const registry = new Map<string, JsonObject>([
        ['urn:a', { vct: 'urn:a', extends: 'urn:b' }],
        ['urn:b', { vct: 'urn:b', extends: 'urn:a' }],
      ])
      const vc = await issueSdJwtVc({ ...base, vct: 'urn:a' })
      await expect(verifySdJwtVc(vc, { ...static_, typeMetadata: { registry, required: true } })).rejects.toMatchObject({
        code: 'sd_jwt_vc.type_metadata_cycle',
      })
    })
  })
})

describe('SD-JWT VC status and key binding', () => {
  const checker = (state: 'valid' | 'invalid' | 'suspended' | 'undetermined'): StatusChecker => ({
    check: async () => ({ state }),
  })
  it('hands status to the checker; revoked and suspended are distinct errors; undetermined is reported', async () => {
    const vc = await issueSdJwtVc({ ...base, status: { status_list: { idx: 3, uri: 'https://issuer.example/sl/1' } } })
    expect((await verifySdJwtVc(vc, { ...static_, statusChecker: checker('valid') })).status?.state).toBe('valid')
    await expect(verifySdJwtVc(vc, { ...static_, statusChecker: checker('invalid') })).rejects.toMatchObject({
      code: 'sd_jwt_vc.status_revoked',
    })
    await expect(verifySdJwtVc(vc, { ...static_, statusChecker: checker('suspended') })).rejects.toMatchObject({
      code: 'sd_jwt_vc.status_suspended',
    })
    expect((await verifySdJwtVc(vc, { ...static_, statusChecker: checker('undetermined') })).status?.state).toBe('undetermined')
    await expect(
      verifySdJwtVc(vc, { ...static_, statusChecker: checker('undetermined'), statusPolicy: { rejectUndetermined: true } }),
    ).rejects.toMatchObject({
      code: 'sd_jwt_vc.status_undetermined',
    })
    expect(
      (await verifySdJwtVc(vc, { ...static_, statusChecker: checker('invalid'), statusPolicy: { mode: 'report' } })).status
        ?.state,
    ).toBe('invalid')
  })
  it('KB-JWT verified with cnf', async () => {
    const holder = signerFromPrivateJwk(generatePrivateJwk('EdDSA'))
    const vc = await issueSdJwtVc({ ...base, disclosable: ['given_name'], holderKey: holder.publicJwk })
    const vp = await presentSdJwt(vc, {
      disclose: ['given_name'],
      kb: { signer: holder, aud: 'x509_san_dns:v.example', nonce: 'n', iat: NOW },
    })
    const r = await verifySdJwtVc(vp, { ...static_, kb: { required: true, aud: 'x509_san_dns:v.example', nonce: 'n' } })
    expect(r.claims.given_name).toBe('Erika')
  })
})
